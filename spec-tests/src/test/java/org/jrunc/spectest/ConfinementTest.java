package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Seccomp, capabilities, no_new_privs, personality, scheduler and I/O priority, read back from the container. */
class ConfinementTest extends SpecTest {

    private static ObjectNode seccomp(Bundle b, String defaultAction) {
        ObjectNode s = b.linux().putObject("seccomp");
        s.put("defaultAction", defaultAction);
        s.putArray("architectures").add("SCMP_ARCH_X86_64").add("SCMP_ARCH_X86").add("SCMP_ARCH_X32");
        return s;
    }

    private static ObjectNode rule(ObjectNode seccomp, String action, String... names) {
        ObjectNode r = ((ArrayNode) seccomp.withArray("syscalls")).addObject();
        ArrayNode n = r.putArray("names");
        for (String s : names) {
            n.add(s);
        }
        r.put("action", action);
        return r;
    }

    @Test
    void deniedSyscallReturnsTheConfiguredErrno() {
        Bundle b = bundle("sh", "-c", "mkdir /tmp/x 2>&1; grep -E '^Seccomp' /proc/self/status");
        b.config.with("root").put("readonly", false);
        rule(seccomp(b, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "mkdir", "mkdirat").put("errnoRet", 38);
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("errno"));
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Function not implemented"), "errno 38: " + r.out());
        assertTrue(r.out().contains("Seccomp:\t2"), r.out());
        assertTrue(r.out().contains("Seccomp_filters:\t1"), r.out());
    }

    /**
     * The filter is the last step before execve: a profile that refuses what the runtime itself calls on the way
     * (close_range and fcntl for the descriptors, getcwd for the working directory) still runs the container, as
     * runtime-tools' default profile and older Docker profiles expect (issue 11: the process died right after start).
     */
    @Test
    void aProfileWithoutTheRuntimesOwnCallsStillRunsTheProcess() {
        Bundle b = bundle("echo", "ran");
        b.process().put("noNewPrivileges", true);
        rule(seccomp(b, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "close_range", "getcwd", "fcntl");
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("lastfilter"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("ran\n", r.out());
    }

    /**
     * Without no_new_privs the filter needs CAP_SYS_ADMIN, yet it still goes in after the runtime's own calls: a
     * profile that refuses the user change, the working directory and the descriptor clean-up runs a non-root
     * process (issue 11: the filter went in before setresuid, and the process never started).
     */
    @Test
    void aProfileWithoutTheRuntimesOwnCallsRunsWithoutNoNewPrivilegesToo() {
        Bundle b = bundle("sh", "-c", "echo ran; grep -E '^(Uid|NoNewPrivs|Seccomp):' /proc/self/status");
        b.process().put("noNewPrivileges", false);
        b.process().with("user").put("uid", 1000).put("gid", 1000);
        rule(
                seccomp(b, "SCMP_ACT_ALLOW"),
                "SCMP_ACT_ERRNO",
                "setresuid",
                "setresgid",
                "setgroups",
                "chdir",
                "getcwd",
                "close_range",
                "fcntl",
                "umask",
                "prctl");
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("lastfilter-nnp"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertTrue(r.out().startsWith("ran\n"), r.out());
        assertTrue(r.out().contains("Uid:\t1000\t1000\t1000\t1000"), r.out());
        assertTrue(r.out().contains("NoNewPrivs:\t0") && r.out().contains("Seccomp:\t2"), r.out());
    }

    /**
     * A container process that cannot be started after `start` released it (here its execve is refused) makes
     * `start` fail with the reason in one line, instead of exiting 0 over a dead container (issue 11).
     */
    @Test
    void aProcessThatCannotStartFailsStart() {
        Bundle b = bundle("echo", "never");
        b.process().put("noNewPrivileges", true);
        rule(seccomp(b, "SCMP_ACT_ALLOW"), "SCMP_ACT_ERRNO", "execve", "execveat");
        String id = uniqueId("noexec");
        jrunc.run("create", "-b", b.write().toString(), id).ok();
        Jrunc.Result start = jrunc.run("start", id).fails();
        assertTrue(start.err().contains("did not start") && start.err().contains("execve"), start.err());
        assertEquals(1, start.err().strip().lines().count(), "one line: " + start.err());
        jrunc.run("delete", "-f", id).ok();
        Jrunc.Result run = jrunc.run("run", "-b", b.write().toString(), uniqueId("noexecrun"));
        assertTrue(run.exit() != 0 && run.err().contains("did not start"), run.exit() + " " + run.err());
    }

    @Test
    void killActionsKill() {
        for (String action : new String[] {"SCMP_ACT_KILL_PROCESS", "SCMP_ACT_KILL", "SCMP_ACT_KILL_THREAD"}) {
            // mkdir itself is the container process: busybox sh would fork for it and carry on
            Bundle b = bundle("mkdir", "/tmp/y");
            rule(seccomp(b, "SCMP_ACT_ALLOW"), action, "mkdir", "mkdirat");
            Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("kill"));
            assertEquals(128 + 31, r.exit(), action + " kills with SIGSYS: " + r.out() + r.err());
        }
    }

    @Test
    void argumentComparisonsSelectTheCall() {
        // personality(0xffffffff) only queries; deny only a specific persona value with MASKED_EQ and EQ
        Bundle b = bundle("sh", "-c", "uname -m; mkdir /tmp/a 2>&1 && echo made");
        b.config.with("root").put("readonly", false);
        ObjectNode s = seccomp(b, "SCMP_ACT_ALLOW");
        ObjectNode r = rule(s, "SCMP_ACT_ERRNO", "mkdirat");
        r.put("errnoRet", 13);
        r.putArray("args")
                .addObject()
                .put("index", 2)
                .put("value", 0777)
                .put("valueTwo", 0777)
                .put("op", "SCMP_CMP_MASKED_EQ");
        ObjectNode r2 = rule(s, "SCMP_ACT_ERRNO", "mkdir");
        r2.put("errnoRet", 13);
        r2.putArray("args").addObject().put("index", 1).put("value", 0777).put("op", "SCMP_CMP_EQ");
        Jrunc.Result out = jrunc.run("run", "-b", b.write().toString(), uniqueId("args"));
        assertTrue(out.out().contains("Permission denied"), "mode 0777 matches: " + out.out());
    }

    @Test
    void badSeccompInputIsRefusedWithTheFieldNamed() throws Exception {
        String[][] cases = {
            {"{\"defaultAction\":\"SCMP_ACT_BOGUS\"}", "defaultAction"},
            {"{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"architectures\":[\"SCMP_ARCH_VAX\"]}", "architectures[0]"},
            {
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\","
                        + "\"args\":[{\"index\":9,\"value\":1,\"op\":\"SCMP_CMP_EQ\"}]}]}",
                "args[0].index"
            },
            {
                "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\","
                        + "\"args\":[{\"index\":0,\"value\":1,\"op\":\"SCMP_CMP_LIKE\"}]}]}",
                "op"
            },
        };
        for (String[] c : cases) {
            Bundle b = bundle("true");
            b.linux().set("seccomp", Bundle.JSON.readTree(c[0]));
            Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("badsec"))
                    .fails();
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().contains("linux.seccomp") && r.err().contains(c[1]), c[0] + " -> " + r.err());
            assertNothingLeft();
        }
    }

    private static final long NOTIF_RECV = 0xc0502100L;
    private static final long NOTIF_SEND = 0xc0182101L;

    /** A seccomp agent's connection: the container process state it was sent, and the listener fd. */
    private record AgentMessage(String state, int listener) {}

    /** Accepts one connection on {@code listener} and receives the message and the listener fd on it. */
    private static AgentMessage receive(Syscalls sys, int listener) {
        int conn = sys.accept(listener);
        byte[] payload = new byte[8192];
        int[] len = new int[1];
        int[] fds = sys.recvFds(conn, payload, len, 4);
        sys.close(conn);
        return new AgentMessage(new String(payload, 0, len[0], StandardCharsets.UTF_8), fds[0]);
    }

    /** Answers one notification with EACCES, as an agent emulating a denied mkdir would, and closes the listener. */
    private static void denyOne(Syscalls sys, int fd) {
        byte[] notif = new byte[80];
        sys.ioctlBuffer(fd, NOTIF_RECV, notif);
        byte[] resp = new byte[24];
        System.arraycopy(notif, 0, resp, 0, 8);
        int eacces = -13;
        resp[16] = (byte) eacces;
        resp[17] = (byte) (eacces >> 8);
        resp[18] = (byte) (eacces >> 16);
        resp[19] = (byte) (eacces >> 24);
        sys.ioctlBuffer(fd, NOTIF_SEND, resp);
        sys.close(fd);
    }

    /** A writable bundle running {@code args} whose filter sends mkdir to the agent at {@code sock}. */
    private Bundle notifying(Path sock, String... args) {
        Bundle b = bundle(args);
        b.config.with("root").put("readonly", false);
        ObjectNode s = seccomp(b, "SCMP_ACT_ALLOW");
        s.put("listenerPath", sock.toString());
        s.put("listenerMetadata", "meta-42");
        rule(s, "SCMP_ACT_NOTIFY", "mkdir", "mkdirat");
        return b;
    }

    @Test
    void notifyListenerGetsTheFdAndAnswersTheSyscall() throws Exception {
        Syscalls sys = LinuxSyscalls.get();
        Path sock = tmp.resolve("agent.sock");
        int listener = sys.listenUnix(sock.toString());
        CompletableFuture<String> agent = CompletableFuture.supplyAsync(() -> {
            AgentMessage m = receive(sys, listener);
            denyOne(sys, m.listener());
            return m.state();
        });
        Bundle b = notifying(sock, "sh", "-c", "mkdir /tmp/n 2>&1; echo after");
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("notify"));
        String stateJson = agent.get(30, TimeUnit.SECONDS);
        sys.close(listener);
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("Permission denied") && r.out().contains("after"), r.out());
        JsonNode st = Bundle.parse(stateJson);
        assertEquals("[\"seccompFd\"]", st.get("fds").toString());
        assertEquals("meta-42", st.get("metadata").asText());
        assertTrue(st.get("pid").asInt() > 0);
        assertEquals("creating", st.get("state").get("status").asText());
    }

    /**
     * An exec'd process gets the filter with its own listener, sent to the agent with its pid and the container's
     * state, as runc's exec does. Fails on 17985a3: exec refused a container whose filter notifies.
     */
    @Test
    void execIntoANotifyingContainerSendsTheAgentItsOwnListener() throws Exception {
        Syscalls sys = LinuxSyscalls.get();
        Path sock = tmp.resolve("agent.sock");
        int listener = sys.listenUnix(sock.toString());
        CompletableFuture<String> agent = CompletableFuture.supplyAsync(() -> {
            AgentMessage init = receive(sys, listener);
            AgentMessage exec = receive(sys, listener);
            denyOne(sys, exec.listener());
            sys.close(init.listener());
            return exec.state();
        });
        String id = uniqueId("notify");
        jrunc.run("run", "-d", "-b", notifying(sock, "sleep", "1000").write().toString(), id)
                .ok();
        Path pidFile = tmp.resolve("exec.pid");
        Jrunc.Result r = jrunc.run(
                        "exec", "--pid-file", pidFile.toString(), id, "sh", "-c", "mkdir /tmp/n 2>&1; echo after")
                .ok();
        String stateJson = agent.get(30, TimeUnit.SECONDS);
        sys.close(listener);
        assertTrue(r.out().contains("Permission denied") && r.out().contains("after"), r.out());
        JsonNode st = Bundle.parse(stateJson);
        assertEquals("[\"seccompFd\"]", st.get("fds").toString());
        assertEquals("meta-42", st.get("metadata").asText());
        assertEquals(Files.readString(pidFile).trim(), st.get("pid").asText(), "the exec'd process");
        assertEquals("running", st.get("state").get("status").asText());
        assertEquals(
                Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt(),
                st.get("state").get("pid").asInt(),
                "the container's pid");
        jrunc.run("delete", "-f", id).ok();
    }

    @Test
    void personalitySchedulerAndIoPriority() {
        Bundle b = bundle("sh", "-c", "uname -m; awk '{print $19, $41}' /proc/self/stat; ionice -p $$");
        b.linux().putObject("personality").put("domain", "LINUX32");
        b.process().putObject("scheduler").put("policy", "SCHED_BATCH").put("nice", 5);
        b.process().putObject("ioPriority").put("class", "IOPRIO_CLASS_IDLE").put("priority", 0);
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("sched"));
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertEquals("i686", lines[0], r.out());
        assertEquals("5 3", lines[1], "nice 5, SCHED_BATCH (3): " + r.out());
        assertTrue(lines[2].startsWith("idle"), r.out());
    }

    @Test
    void allFiveCapabilitySets() {
        Bundle b = bundle("grep", "^Cap", "/proc/self/status");
        ObjectNode caps = b.process().putObject("capabilities");
        for (String set : new String[] {"bounding", "effective", "permitted", "inheritable", "ambient"}) {
            caps.putArray(set).add("CAP_CHOWN").add("CAP_NET_RAW");
        }
        b.process().putObject("user").put("uid", 1000).put("gid", 1000);
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("caps"));
        assertEquals(0, r.exit(), r.err());
        // CAP_CHOWN = bit 0, CAP_NET_RAW = bit 13: kept across the switch to uid 1000 through the ambient set
        for (String set : new String[] {"CapInh", "CapPrm", "CapEff", "CapBnd", "CapAmb"}) {
            assertTrue(r.out().contains(set + ":\t0000000000002001"), set + ": " + r.out());
        }
    }

    /**
     * LSM labels for modules that are not active (none is on this project's hosts) are not applied, each with a
     * warning that names the field, and `features` says the module is off; where a module is active the label is
     * written to the thread's attr file before execve (ProcessExecutorTest).
     */
    @Test
    void labelsOfInactiveSecurityModulesAreReportedNotFaked() throws Exception {
        boolean apparmor = Files.isDirectory(Path.of("/sys/kernel/security/apparmor"));
        boolean selinux = Files.exists(Path.of("/sys/fs/selinux/enforce"));
        Assumptions.assumeTrue(!apparmor && !selinux, "no active AppArmor or SELinux");
        JsonNode features = Bundle.parse(jrunc.run("features").ok().out());
        assertEquals(false, features.get("linux").get("apparmor").get("enabled").asBoolean());
        assertEquals(false, features.get("linux").get("selinux").get("enabled").asBoolean());

        Bundle b = bundle("sh", "-c", "echo running");
        b.process().put("apparmorProfile", "jrunc-test").put("selinuxLabel", "system_u:system_r:container_t:s0");
        b.linux().put("mountLabel", "system_u:object_r:container_file_t:s0");
        Jrunc.Result r =
                jrunc.run("run", "-b", b.write().toString(), uniqueId("lsm")).ok();
        assertEquals("running\n", r.out());
        for (String field : new String[] {"process.apparmorProfile", "process.selinuxLabel", "linux.mountLabel"}) {
            assertTrue(r.err().contains(field + " \\\"") && r.err().contains("is not applied"), field + ": " + r.err());
        }
        assertNothingLeft();
    }
}
