package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** process.*: what the kernel reports for the container process. */
class ProcessTest extends SpecTest {

    private String run(Bundle b) {
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("proc"));
        assertEquals(0, r.exit(), r.err());
        return r.out();
    }

    @Test
    void argsEnvAndCwd() {
        Bundle b = bundle("sh", "-c", "pwd; echo \"$GREETING\"; echo $#", "ignored0", "a", "b");
        b.process().put("cwd", "/tmp/work/dir");
        b.process().withArray("env").add("GREETING=hello world");
        assertEquals("/tmp/work/dir\nhello world\n2\n", run(b));
    }

    @Test
    void homeDefaultsFromPasswd() {
        Bundle b = bundle("sh", "-c", "echo $HOME");
        assertEquals("/root\n", run(b));
    }

    @Test
    void userGroupsAndUmask() {
        Bundle b = bundle("sh", "-c", "id -u; id -g; id -G; umask; grep -E '^(Uid|Gid|Groups)' /proc/self/status");
        b.process()
                .putObject("user")
                .put("uid", 1000)
                .put("gid", 1001)
                .put("umask", 63)
                .putArray("additionalGids")
                .add(20)
                .add(30);
        String out = run(b);
        assertTrue(out.startsWith("1000\n1001\n1001 20 30\n0077\n"), out);
        assertTrue(out.contains("Uid:\t1000\t1000\t1000\t1000"), out);
        assertTrue(out.contains("Gid:\t1001\t1001\t1001\t1001"), out);
        assertTrue(out.contains("Groups:\t20 30"), out);
    }

    @Test
    void rlimitsAreSet() {
        Bundle b = bundle("cat", "/proc/self/limits");
        b.process()
                .putArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_NOFILE")
                .put("soft", 100)
                .put("hard", 200);
        b.process()
                .withArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_CORE")
                .put("soft", 0)
                .put("hard", 0);
        String out = run(b);
        assertTrue(out.matches("(?s).*Max open files\\s+100\\s+200\\s+files.*"), out);
        assertTrue(out.matches("(?s).*Max core file size\\s+0\\s+0\\s+bytes.*"), out);
    }

    /**
     * process.rlimits bind the container process exactly as configured, never the runtime's own code (issue 11): a
     * 1 GiB RLIMIT_AS is far below what the init and exec JVMs have mapped, and killed the init before it was ready.
     * Checked through create, a pause, then start (the init waits with its own limits), and through exec.
     */
    @Test
    void rlimitsBindTheContainerProcessNotTheRuntime() throws Exception {
        long gib = 1L << 30;
        Bundle b = bundle(
                "sh",
                "-c",
                "grep -E 'address space|open files' /proc/self/limits > /tmp/l; mv /tmp/l /tmp/limits; sleep 1000");
        b.config.with("root").put("readonly", false);
        b.process()
                .putArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_AS")
                .put("soft", gib)
                .put("hard", gib);
        b.process()
                .withArray("rlimits")
                .addObject()
                .put("type", "RLIMIT_NOFILE")
                .put("soft", 64)
                .put("hard", 64);
        String id = uniqueId("rlimit");
        jrunc.run("create", "-b", b.write().toString(), id).ok();
        Thread.sleep(300);
        jrunc.run("start", id).ok();
        LifecycleTest.waitFor(b.rootfs().resolve("tmp/limits"));
        String limits = Files.readString(b.rootfs().resolve("tmp/limits"));
        assertTrue(limits.matches("(?s).*Max address space\\s+1073741824\\s+1073741824\\s+bytes.*"), limits);
        assertTrue(limits.matches("(?s).*Max open files\\s+64\\s+64\\s+files.*"), limits);

        Path process = tmp.resolve("rlimit-process.json");
        Files.writeString(
                process,
                "{\"args\":[\"grep\",\"address space\",\"/proc/self/limits\"],\"cwd\":\"/\","
                        + "\"env\":[\"PATH=/bin\"],\"user\":{\"uid\":0,\"gid\":0},"
                        + "\"rlimits\":[{\"type\":\"RLIMIT_AS\",\"soft\":" + (gib / 2) + ",\"hard\":" + gib + "}]}");
        Jrunc.Result exec = jrunc.run("exec", "--process", process.toString(), id);
        assertEquals(0, exec.exit(), exec.err());
        assertTrue(exec.out().matches("(?s).*Max address space\\s+536870912\\s+1073741824\\s+bytes.*"), exec.out());
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }

    @Test
    void oomScoreAdjIsSetOnlyWhenGiven() {
        Bundle b = bundle("cat", "/proc/self/oom_score_adj");
        b.process().put("oomScoreAdj", 500);
        assertEquals("500\n", run(b));
        Bundle unset = bundle("cat", "/proc/self/oom_score_adj");
        String inherited = run(unset).trim();
        assertEquals(readSelf("oom_score_adj"), inherited, "untouched: inherited from the runtime");
    }

    private static String readSelf(String f) {
        try {
            return Files.readString(Path.of("/proc/self/" + f)).trim();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void noNewPrivileges() {
        Bundle on = bundle("grep", "NoNewPrivs", "/proc/self/status");
        assertEquals("NoNewPrivs:\t1\n", run(on));
        Bundle off = bundle("grep", "NoNewPrivs", "/proc/self/status");
        off.process().put("noNewPrivileges", false);
        assertEquals("NoNewPrivs:\t0\n", run(off));
    }

    @Test
    void sysctlsAreWrittenInTheContainersNamespaces() {
        Bundle b = bundle("sh", "-c", "cat /proc/sys/net/ipv4/ip_forward /proc/sys/kernel/shmmni");
        b.linux().putObject("sysctl").put("net.ipv4.ip_forward", "1").put("kernel.shmmni", "1234");
        assertEquals("1\n1234\n", run(b));
    }

    @Test
    void sysctlOutsideAnyContainerNamespaceIsRefused() throws Exception {
        Bundle b = bundle("true");
        b.linux().putObject("sysctl").put("vm.swappiness", "10");
        Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("sysctl"))
                .fails();
        assertTrue(r.err().contains("vm.swappiness"), r.err());
        assertNothingLeft();
    }

    @Test
    void initWaitsForStartBeforeRunningTheProcess() throws Exception {
        Bundle b = bundle("sh", "-c", "touch /started; sleep 100");
        b.config.with("root").put("readonly", false);
        String id = uniqueId("fifo");
        jrunc.run("create", "-b", b.write().toString(), id).ok();
        int pid = Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt();
        Thread.sleep(300);
        assertTrue(!Files.exists(b.rootfs().resolve("started")), "nothing of process.args ran before start");
        String cmd = Files.readString(Path.of("/proc/" + pid + "/cmdline"));
        assertTrue(cmd.contains("org.jrunc.stage.InitMain"), "the init waits: " + cmd);
        jrunc.run("start", id).ok();
        LifecycleTest.waitFor(b.rootfs().resolve("started"));
        jrunc.run("delete", "-f", id).ok();
    }

    @Test
    void capabilitiesFromTheConfig() {
        Bundle b = bundle("grep", "^Cap", "/proc/self/status");
        String out = run(b);
        // CAP_AUDIT_WRITE(29), CAP_KILL(5), CAP_NET_BIND_SERVICE(10)
        assertTrue(out.contains("CapEff:\t0000000020000420"), out);
        assertTrue(out.contains("CapPrm:\t0000000020000420"), out);
        assertTrue(out.contains("CapBnd:\t0000000020000420"), out);
        assertTrue(out.contains("CapInh:\t0000000000000000"), out);
    }

    /**
     * linux.memoryPolicy is the policy of the container's process, and of an exec'd one, as numa_maps shows it for
     * the busybox text mapping (this host has node 0 only). Fails on 17985a3: linux.memoryPolicy was refused.
     */
    @Test
    void memoryPolicyIsTheProcessesPolicy() {
        String[][] cases = {
            {"MPOL_BIND", " bind:0 "}, {"MPOL_PREFERRED", " prefer:0 "}, {"MPOL_INTERLEAVE", " interleave:0 "},
        };
        for (String[] c : cases) {
            Bundle b = bundle("grep", "-m1", "busybox", "/proc/self/numa_maps");
            b.linux().putObject("memoryPolicy").put("mode", c[0]).put("nodes", "0");
            String out = run(b);
            assertTrue(out.contains(c[1]), c[0] + ": " + out);
        }
        Bundle b = bundle("sleep", "100");
        b.linux().putObject("memoryPolicy").put("mode", "MPOL_BIND").put("nodes", "0");
        String id = uniqueId("mpol");
        jrunc.run("run", "-d", "-b", b.write().toString(), id).ok();
        String exec = jrunc.run("exec", id, "grep", "-m1", "busybox", "/proc/self/numa_maps")
                .ok()
                .out();
        assertTrue(exec.contains(" bind:0 "), "exec: " + exec);
        jrunc.run("delete", "-f", id).ok();
    }

    /**
     * A node this host lacks fails create with the kernel's reason and the field named, and leaves nothing; so does a
     * mode the spec does not name. Fails on 17985a3: both said "not supported by jrunc yet".
     */
    @Test
    void aMemoryPolicyTheKernelRefusesFailsCreate() throws Exception {
        Assumptions.assumeFalse(Files.exists(Path.of("/sys/devices/system/node/node63")), "node 63 exists here");
        String[][] cases = {
            {"MPOL_BIND", "63", "linux.memoryPolicy: MPOL_BIND: set_mempolicy nodes 63: invalid argument"},
            {"MPOL_BOGUS", "0", "linux.memoryPolicy.mode: unknown mode"},
            {"MPOL_BIND", "", "linux.memoryPolicy.nodes: MPOL_BIND needs at least one node"},
        };
        for (String[] c : cases) {
            Bundle b = bundle("true");
            b.linux().putObject("memoryPolicy").put("mode", c[0]).put("nodes", c[1]);
            Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("mpol"))
                    .fails();
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().contains(c[2]), r.err());
            assertNothingLeft();
        }
    }
}
