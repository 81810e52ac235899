package org.jrunc.stage;

import static org.jrunc.sys.Flags.O_RDONLY;
import static org.jrunc.sys.Flags.O_WRONLY;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import org.jrunc.config.Spec;
import org.jrunc.config.SpecLoader;
import org.jrunc.container.ContainerExec;
import org.jrunc.container.ProcessPlanner;
import org.jrunc.namespaces.NamespaceKind;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.Errno;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Pidfd;
import org.jrunc.sys.Poll;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * A measured prototype of issue 11's structural lever, for `exec` (bench/one-jvm-exec), kept in the test sources
 * because it is not a product path: the work of the exec stage done on a thread of the calling JVM instead of in a
 * second JVM. The thread gives itself its own fs_struct and descriptor table, joins the container's namespaces with
 * setns (per thread; the pid namespace for its children), plans and prepares the process exactly as ExecMain does,
 * and clones it with ExecAsSibling. What it leaves out is what keeps the stage in the product (docs/PERFORMANCE.md):
 * a user or time namespace (setns refuses a multithreaded caller), and the process's pre-execve image, which here is
 * this JVM's, with /proc/PID/exe the host's writable java (CVE-2019-5736); the stage's is on a read-only mount.
 * It also moves this whole JVM into the container's cgroups and rlimits for its last steps.
 *
 * <p>Usage: OneJvmExecPrototype ROOT ID ARGS... (no user or time namespace in the container). Exit status: the
 * process's, 125 when it could not be started.
 */
public final class OneJvmExecPrototype {
    private OneJvmExecPrototype() {}

    public static void main(String[] args) throws Exception {
        StateStore store = new StateStore(args[0]);
        ContainerRecord r = store.load(args[1]);
        Spec spec = SpecLoader.loadSpec(store.configCopy(args[1]));
        ProcessPlan process = ProcessPlanner.plan(spec.process(), "process", spec.linux(), null, 0).toBuilder()
                .args(List.of(args).subList(2, args.length))
                .build();
        Syscalls sys = LinuxSyscalls.get();
        for (NamespaceKind k : List.of(NamespaceKind.USER, NamespaceKind.TIME)) {
            if (!ContainerExec.sharesNamespace(r.initPid, k)) {
                System.err.println("the prototype does not join a " + k.specName() + " namespace");
                System.exit(125);
            }
        }
        List<Integer> procs = new ArrayList<>();
        for (String dir : new LinkedHashSet<>(r.cgroupPaths.values())) {
            procs.add(sys.open(dir + "/cgroup.procs", O_WRONLY, 0));
        }
        ExecAsSibling launcher = new ExecAsSibling(sys, false);
        Throwable[] failure = new Throwable[1];
        Thread stage = new Thread(
                () -> {
                    try {
                        sys.unshare(CloneFlags.CLONE_FS | CloneFlags.CLONE_FILES);
                        for (NamespaceKind k : NamespaceKind.values()) {
                            if (k != NamespaceKind.MOUNT && !ContainerExec.sharesNamespace(r.initPid, k)) {
                                join(sys, r.initPid, k);
                            }
                        }
                        join(sys, r.initPid, NamespaceKind.MOUNT);
                        ProcessExecutor executor = new ProcessExecutor(sys, launcher);
                        ProcessPlan finalPlan = executor.prepare(process, System.err::println);
                        String executable =
                                ExecutableLookup.resolve(process.args().get(0), finalPlan.env(), process.cwd());
                        executor.joinCgroups(
                                procs.stream().mapToInt(Integer::intValue).toArray());
                        executor.exec(finalPlan, executable, false, -1, null);
                        launcher.awaitExecve();
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                },
                "exec-stage");
        stage.start();
        stage.join();
        if (failure[0] != null) {
            System.err.println("exec failed: " + failure[0].getMessage());
            System.exit(125);
        }
        // the process is this JVM's sibling (CLONE_PARENT, as for the stage): wait for its end through a pidfd, unless
        // it has ended and been reaped already
        try {
            int pidfd = Pidfd.open(launcher.pid());
            while (!Poll.readable(pidfd, 60_000)) {
                // a long-running process
            }
        } catch (SyscallException e) {
            if (e.errno() != Errno.ESRCH) {
                throw e;
            }
        }
        System.exit(0);
    }

    private static void join(Syscalls sys, int pid, NamespaceKind k) {
        int fd = sys.open("/proc/" + pid + "/ns/" + k.procName(), O_RDONLY, 0);
        sys.setns(fd, k.flag());
        sys.close(fd);
    }
}
