package org.jrunc.stage;

import static org.jrunc.sys.Prctl.PR_CAPBSET_DROP;
import static org.jrunc.sys.Prctl.PR_SET_KEEPCAPS;
import static org.jrunc.sys.Prctl.PR_SET_NO_NEW_PRIVS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.Test;

/** The last steps before execve, in the order the kernel needs them, checked on a recording of the calls. */
class ProcessExecutorTest {
    private static final long CAP_KILL = 1L << 5;
    private static final ProcessPlan.SeccompPlan FILTER = new ProcessPlan.SeccompPlan(new byte[16], 0, false, null);

    private static ProcessPlan plan(boolean noNewPrivileges, String apparmor, String selinux) {
        return ProcessPlan.builder()
                .args(List.of("/bin/sh", "-c", "true"))
                .env(List.of("PATH=/bin"))
                .cwd("/work")
                .uid(1000)
                .gid(1001)
                .additionalGids(new long[] {5})
                .umask(027)
                .capabilities(new CapabilityPlan(CAP_KILL, CAP_KILL, 0, CAP_KILL, CAP_KILL))
                .noNewPrivileges(noNewPrivileges)
                .seccomp(FILTER)
                .rlimits(List.of(new ProcessPlan.RlimitPlan(7, "RLIMIT_NOFILE", 100, 200)))
                .apparmorProfile(apparmor)
                .selinuxLabel(selinux)
                .preserveFds(1)
                .build();
    }

    private static RecordingSyscalls withAttrFiles(String... paths) {
        RecordingSyscalls sys = new RecordingSyscalls().dir("/work").dir("/proc/thread-self/attr/apparmor");
        for (String p : paths) {
            sys.files.put(p, new RecordingSyscalls.Node(FileStat.S_IFREG, null, 0644, 0));
        }
        return sys;
    }

    private static int index(List<String> calls, String prefix) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).startsWith(prefix)) {
                return i;
            }
        }
        throw new AssertionError("no call " + prefix + " in " + calls);
    }

    private static void before(List<String> calls, String first, String then) {
        assertTrue(index(calls, first) < index(calls, then), first + " before " + then + ": " + calls);
    }

    @Test
    void withNoNewPrivilegesTheFilterIsTheLastStepBeforeExecve() {
        RecordingSyscalls sys = withAttrFiles("/proc/thread-self/attr/apparmor/exec", "/proc/thread-self/attr/exec");
        new ProcessExecutor(sys)
                .exec(plan(true, "jrunc-test", "system_u:system_r:container_t:s0"), "/bin/sh", false, -1, null);
        List<String> c = sys.calls;
        // the bounding set is dropped while still privileged; KEEPCAPS carries the caps across setresuid
        before(c, "prctl " + PR_CAPBSET_DROP + " ", "setresuid");
        before(c, "prctl " + PR_SET_KEEPCAPS + " 1", "setresuid");
        before(c, "setgroups [5]", "setresgid 1001");
        before(c, "setresgid 1001", "setresuid 1000");
        before(c, "setresuid 1000", "chdir /work");
        before(c, "setresuid 1000", "prctl " + PR_SET_KEEPCAPS + " 0");
        before(c, "setresuid 1000", "capset eff=0x20 prm=0x20 inh=0x0");
        // PR_CAP_AMBIENT_RAISE CAP_KILL, once the inheritable set allows it and while permitted is still whole
        before(c, "capset eff=0x20 prm=0xffffffffffffffff inh=0x0", "prctl 47 2 5");
        before(c, "prctl 47 2 5", "capset eff=0x20 prm=0x20 inh=0x0");
        assertTrue(
                sys.calls("prctl " + PR_CAPBSET_DROP).size() > 30
                        && !sys.calls.contains("prctl " + PR_CAPBSET_DROP + " 5"),
                "all but CAP_KILL leave the bounding set");
        // labels go in through this thread's attr files, before a filter could refuse the writes
        before(c, "write /proc/thread-self/attr/apparmor/exec exec jrunc-test", "seccomp");
        before(c, "write /proc/thread-self/attr/exec system_u:system_r:container_t:s0", "seccomp");
        before(c, "umask 27", "seccomp");
        before(c, "prctl " + PR_SET_NO_NEW_PRIVS + " 1", "seccomp");
        // the filter is the last step: a profile may refuse close_range and fcntl (issue 11)
        before(c, "close_range 4", "seccomp");
        before(c, "fcntl 3 2 0", "seccomp");
        assertEquals("fcntl 3 2 0", sys.calls("fcntl").get(0), "the one preserved fd loses CLOEXEC");
        assertTrue(c.get(c.size() - 2).startsWith("seccomp"), "the filter comes right before execve: " + c);
        assertEquals("execve /bin/sh /bin/sh -c true", c.get(c.size() - 1));
        // rlimits bind the container process only: set after the JVM's last allocation, before the user changes
        before(c, "setrlimit 7 100 200", "setresuid 1000");
        before(c, "prctl " + PR_CAPBSET_DROP, "setrlimit 7 100 200");
    }

    /**
     * Without no_new_privs the filter needs CAP_SYS_ADMIN: the effective set is raised back to the whole permitted
     * set for it, after the user change, the working directory and the descriptors, and only the capset dropping to
     * the configured sets runs under it (issue 11: a profile without setresuid or getcwd killed the process).
     */
    @Test
    void withoutNoNewPrivilegesTheFilterGoesInLastWhileStillPrivileged() {
        RecordingSyscalls sys = withAttrFiles();
        new ProcessExecutor(sys).exec(plan(false, null, null), "/bin/sh", false, -1, null);
        List<String> c = sys.calls;
        for (String call : new String[] {"setresuid 1000", "chdir /work", "close_range", "fcntl", "umask"}) {
            before(c, call, "seccomp");
        }
        before(c, "capset eff=0xffffffffffffffff prm=0xffffffffffffffff inh=0x0", "seccomp");
        assertEquals("capset eff=0x20 prm=0x20 inh=0x0", c.get(c.size() - 2), "the one call under the filter: " + c);
        assertTrue(c.get(c.size() - 3).startsWith("seccomp"), c.toString());
        assertEquals(List.of(), sys.calls("prctl " + PR_SET_NO_NEW_PRIVS));
        assertEquals(List.of(), sys.calls("write"), "no labels, no attr writes");
    }

    /**
     * The exec stage's launcher: the process is cloned (a sibling) as the very last step instead of an execve in place,
     * with the filter already in and its arguments prepared before the rlimits.
     */
    @Test
    void theExecStageClonesTheProcessAsItsLastStep() {
        RecordingSyscalls sys = withAttrFiles();
        ExecAsSibling launcher = new ExecAsSibling(sys, true);
        new ProcessExecutor(sys, launcher).exec(plan(true, null, null), "/bin/sh", false, -1, null);
        List<String> c = sys.calls;
        before(c, "prepare sibling tty", "setrlimit 7 100 200");
        before(c, "seccomp", "clone sibling execve /bin/sh /bin/sh -c true");
        assertTrue(c.get(c.size() - 1).startsWith("clone sibling"), c.toString());
        assertEquals(4242, launcher.pid());
        assertEquals(List.of(), sys.calls("execve"), "no execve in place");
    }

    /**
     * A launcher whose caller sets the rlimits on the launched process (a pod's container, released by `start`): none
     * binds this JVM, and the caller's prlimit names the process and words a refusal as runc does.
     */
    @Test
    void rlimitsLeftToTheCallerGoOnTheLaunchedProcess() {
        RecordingSyscalls sys = withAttrFiles();
        ProcessExecutor executor = new ProcessExecutor(sys, new ProcessExecutor.Launcher() {
            @Override
            public void prepare(org.jrunc.sys.PreparedExec image) {}

            @Override
            public void launch() {}

            @Override
            public boolean rlimitsAfterLaunch() {
                return true;
            }
        });
        executor.exec(plan(true, null, null), "/bin/sh", false, -1, null);
        assertEquals(List.of(), sys.calls("setrlimit"));
        executor.applyRlimits(4711, plan(true, null, null));
        assertEquals(List.of("prlimit 4711 7 100 200"), sys.calls("prlimit"));

        RecordingSyscalls refusing = new RecordingSyscalls() {
            @Override
            public void prlimit(int pid, int resource, long soft, long hard) {
                throw new SyscallException("prlimit", "pid " + pid, Errno.EPERM);
            }
        };
        String m = assertThrows(
                        JruncException.class,
                        () -> new ProcessExecutor(refusing).applyRlimits(4711, plan(true, null, null)))
                .getMessage();
        assertEquals("error setting rlimit type 7 (RLIMIT_NOFILE soft 100 hard 200): operation not permitted", m);
    }

    @Test
    void anOlderKernelTakesTheAppArmorProfileThroughTheSharedAttrFile() {
        RecordingSyscalls sys = withAttrFiles("/proc/thread-self/attr/exec");
        sys.files.remove("/proc/thread-self/attr/apparmor");
        new ProcessExecutor(sys).exec(plan(true, "jrunc-test", null), "/bin/sh", false, -1, null);
        assertEquals(List.of("write /proc/thread-self/attr/exec exec jrunc-test"), sys.calls("write"));
    }

    /**
     * prepare (before READY) only asks the kernel: a raise of the hard limit is tried with today's soft limit and
     * undone, a lowering is not tried at all, so no limit binds the JVM that goes on waiting for `start` (issue 11: a
     * 1 GiB RLIMIT_AS killed the init).
     */
    @Test
    void prepareProbesTheRlimitsWithoutKeepingThem() {
        RecordingSyscalls raising = withAttrFiles();
        raising.rlimits.put(7, new long[] {50, 60});
        new ProcessExecutor(raising).prepare(plan(true, null, null), w -> {});
        assertEquals(List.of("setrlimit 7 50 200", "setrlimit 7 50 60"), raising.calls("setrlimit"));

        RecordingSyscalls lowering = withAttrFiles();
        new ProcessExecutor(lowering).prepare(plan(true, null, null), w -> {});
        assertEquals(List.of(), lowering.calls("setrlimit"), "lowering a limit is always allowed");
    }

    @Test
    void prepareWordsARefusalAsRuncDoes() {

        RecordingSyscalls refusing = new RecordingSyscalls() {
            @Override
            public void setrlimit(int resource, long soft, long hard) {
                throw new SyscallException("prlimit", "resource " + resource, Errno.EPERM);
            }

            @Override
            public long[] getrlimit(int resource) {
                return new long[] {10, 20};
            }
        };
        String m = assertThrows(
                        JruncException.class,
                        () -> new ProcessExecutor(refusing).prepare(plan(true, null, null), w -> {}))
                .getMessage();
        assertTrue(
                m.startsWith("error setting rlimit type 7 (RLIMIT_NOFILE") && m.endsWith("operation not permitted"), m);
    }

    /**
     * linux.memoryPolicy goes on this thread in prepare (before READY), so a refusal fails create naming the field.
     * Fails on 17985a3: there was no memory policy.
     */
    @Test
    void prepareSetsTheMemoryPolicyAndNamesTheFieldWhenRefused() {
        ProcessPlan p = plan(true, null, null).toBuilder()
                .memoryPolicy(new ProcessPlan.MemoryPolicyPlan("MPOL_BIND", 2 | 1 << 15, new long[] {0x81}))
                .build();
        RecordingSyscalls sys = withAttrFiles();
        new ProcessExecutor(sys).prepare(p, w -> {});
        assertEquals(List.of("set_mempolicy " + (2 | 1 << 15) + " 0,7"), sys.calls("set_mempolicy"));

        RecordingSyscalls refusing = withAttrFiles();
        refusing.failOn("set_mempolicy", new SyscallException("set_mempolicy", "nodes 0,7", Errno.EINVAL));
        String m = assertThrows(JruncException.class, () -> new ProcessExecutor(refusing).prepare(p, w -> {}))
                .getMessage();
        assertEquals("linux.memoryPolicy: MPOL_BIND: set_mempolicy nodes 0,7: invalid argument", m);
    }
}
