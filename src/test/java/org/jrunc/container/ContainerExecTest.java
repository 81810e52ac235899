package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.jrunc.JruncException;
import org.jrunc.config.SpecTemplate;
import org.jrunc.json.JsonWriter;
import org.jrunc.process.SpawnRequest;
import org.jrunc.stage.protocol.ExecPlan;
import org.jrunc.stage.protocol.PlanCodec;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.state.ContainerRecord;
import org.jrunc.sys.BitmaskList;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `exec --detach` as far as it runs without a kernel: the refusals by status, the planning (the container's process
 * with the flags' overrides, sent as the stage's plan), the descriptors it opens and passes, and the failure paths
 * (the stage reports an error, or its execve fails), each of which kills and reaps the stage and closes everything.
 * The container's "init" is this test's own JVM, so that its namespaces (read from /proc) are this process's: the
 * spawn joins none; the exec stage is a {@link org.jrunc.process.FakeSpawner}'s pid 5151.
 */
class ContainerExecTest extends OperationTest {
    private static final int STAGE = 5151;

    int self;

    @BeforeEach
    void aRunningContainer() throws Exception {
        self = (int) ProcessHandle.current().pid();
        ContainerRecord r = h.container("c1");
        r.initPid = self;
        r.initStartTicks = 1;
        h.save(r);
        h.processes.running(self, 1);
        Map<String, Object> spec = SpecTemplate.create();
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) spec.get("process");
        process.put("terminal", false);
        Files.writeString(h.store.configCopy("c1"), JsonWriter.pretty(spec));
        h.sys.file("/proc/" + self + "/ns/mnt");
        h.sys.file(FakeHost.CGROUP + "/cgroup.procs");
        h.spawner.spawns(STAGE, 1);
    }

    private ExecOptions options(String pidFile, boolean ignorePaused, String cgroup, boolean tty) {
        return options(pidFile, ignorePaused, cgroup, tty, null);
    }

    private ExecOptions options(String pidFile, boolean ignorePaused, String cgroup, boolean tty, String pidfdSocket) {
        return new ExecOptions(
                "c1",
                null,
                List.of("ls", "-l"),
                tty,
                null,
                pidfdSocket,
                true,
                pidFile,
                "/tmp",
                List.of("A=1"),
                "7:8",
                List.of(),
                List.of("CAP_SYS_ADMIN"),
                false,
                null,
                null,
                0,
                ignorePaused,
                cgroup);
    }

    private ExecOptions options() {
        return options(null, false, null, false);
    }

    private int exec(ExecOptions o) {
        return new ContainerExec(h.host(), h.spawner).exec(o);
    }

    private String failure(ExecOptions o) {
        return assertThrows(JruncException.class, () -> exec(o)).getMessage();
    }

    private void stageSays(SyncChannel.Type type, String text) {
        SyncFrames.stageSays(h.sys, type, text);
    }

    private ExecPlan planSent() {
        SyncChannel.Frame f = SyncFrames.sentToStage(h.sys).get(0);
        assertEquals(SyncChannel.Type.PLAN, f.type());
        return PlanCodec.decodeExecPlan(f.payload());
    }

    private List<String> steps() {
        List<String> out = new ArrayList<>();
        for (String e : h.journal) {
            if (e.startsWith("spawn ")
                    || e.startsWith("kill ")
                    || e.startsWith("waitpid ")
                    || e.startsWith("signal ")) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * The stage clones the process (this process's child, pid 4242 here) and reports it with STARTED; end of file
     * then means it runs, and the stage, which exits by itself, is not waited for.
     */
    @Test
    void theStageIsSpawnedGivenItsPlanAndLeftToExitOnceTheProcessRuns() throws Exception {
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.WARN, "careful");
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        Path pidFile = tmp.resolve("exec.pid");
        assertEquals(0, exec(options(pidFile.toString(), false, null, false)));
        assertEquals(List.of("spawn org.jrunc.stage.ExecMain"), steps());
        assertEquals("4242", Files.readString(pidFile));
        assertEquals(List.of(), h.sys.openFds(), "exec keeps no descriptor");

        ExecPlan plan = planSent();
        assertEquals(List.of("ls", "-l"), plan.process().args());
        assertEquals("/tmp", plan.process().cwd());
        assertEquals(7L, plan.process().uid());
        assertTrue(plan.process().env().contains("A=1"), plan.process().env().toString());
        SpawnRequest req = h.spawner.requests().get(0);
        assertTrue(req.namespaces().joined().isEmpty(), "the init's namespaces are this process's own here");
        assertEquals(3, req.passFds().length, "the sync socket, the mount namespace, cgroup.procs");
        assertEquals(-1, plan.pidNamespace(), "the init's pid namespace is this process's own here");
        assertTrue(h.sys.calls.contains("open /proc/" + self + "/ns/mnt"));
        assertTrue(h.sys.calls.contains("open " + FakeHost.CGROUP + "/cgroup.procs"));
    }

    @Test
    void aStoppedOrHalfCreatedContainerIsRefusedBeforeAnySystemCall() {
        h.processes.gone(self);
        assertEquals("cannot exec in a stopped container", failure(options()));
        ContainerRecord r = h.store.load("c1");
        r.createComplete = false;
        r.creatorPid = h.processes.self().pid();
        r.creatorStartTicks = h.processes.self().startTicks();
        h.save(r);
        assertEquals("cannot exec in a stopped container", failure(options()), "creating");
        assertEquals(0, h.syscallsReached);
        assertEquals(List.of(), steps());
    }

    @Test
    void aPausedContainerNeedsIgnorePaused() {
        h.cgroups.frozen(true);
        assertEquals("cannot exec in a paused container (use --ignore-paused to override)", failure(options()));
        assertEquals(0, h.syscallsReached);
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        assertEquals(0, exec(options(null, true, null, false)));
        assertEquals(List.of("spawn org.jrunc.stage.ExecMain"), steps());
    }

    @Test
    void aTerminalWhenDetachedNeedsAConsoleSocket() {
        assertEquals(
                "cannot allocate tty if jrunc will detach without setting console socket",
                failure(options(null, false, null, true)));
        assertEquals(0, h.syscallsReached, "refused while planning");
    }

    @Test
    void theStagesErrorIsReportedAndTheStageReaped() {
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.ERROR, "setns: operation not permitted");
        assertEquals("unable to start container process: setns: operation not permitted", failure(options()));
        assertEquals(List.of("spawn org.jrunc.stage.ExecMain", "kill 5151 9", "waitpid 5151"), steps());
        assertEquals(List.of(), h.sys.openFds());
    }

    @Test
    void aStageReportingAnotherPidIsKilledAndReaped() {
        stageSays(SyncChannel.Type.HELLO, "4711");
        assertEquals("exec stage reported pid 4711, expected 5151", failure(options()));
        assertEquals(List.of("spawn org.jrunc.stage.ExecMain", "kill 5151 9", "waitpid 5151"), steps());
        assertEquals(List.of(), h.sys.openFds());
    }

    /** The process's execve failed after the stage cloned it: both are killed and reaped. */
    @Test
    void aFailedExecveIsReportedAndBothAreReaped() {
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        stageSays(SyncChannel.Type.ERROR, "execve /bin/ls: exec format error");
        assertEquals("unable to start container process: execve /bin/ls: exec format error", failure(options()));
        assertEquals(
                List.of("spawn org.jrunc.stage.ExecMain", "kill 5151 9", "waitpid 5151", "kill 4242 9", "waitpid 4242"),
                steps());
        assertEquals(List.of(), h.sys.openFds());
    }

    @Test
    void aStageThatExitsEarlyIsReported() {
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        assertEquals("unable to start container process: the exec stage exited", failure(options()));
        assertEquals(List.of("spawn org.jrunc.stage.ExecMain", "kill 5151 9", "waitpid 5151"), steps());
        h.journal.clear();
        assertEquals("the exec stage exited before it started", failure(options()));
        assertEquals(List.of("spawn org.jrunc.stage.ExecMain"), steps(), "nothing to reap: it is gone");
        assertEquals(List.of(), h.sys.openFds());
    }

    @Test
    void aFailureBeforeTheSpawnClosesWhatWasOpened() {
        h.sys.failOn("socketpair", new SyscallException("socketpair", "", Errno.ENOMEM));
        assertThrows(SyscallException.class, () -> exec(options()));
        assertEquals(List.of(), steps());
        assertEquals(List.of(), h.sys.openFds());
    }

    @Test
    void theCgroupFlagStaysInsideTheContainersCgroup() {
        assertEquals("--cgroup ../x: must not contain \"..\"", failure(options(null, false, "../x", false)));
        String m = failure(options(null, false, "memory:sub", false));
        assertTrue(m.startsWith("--cgroup memory:sub: " + FakeHost.CGROUP + "/sub: "), m);
        assertFalse(steps().contains("spawn org.jrunc.stage.ExecMain"));
        assertEquals(List.of(), h.sys.openFds());
    }

    /**
     * process.execCPUAffinity reaches the stage: config.json's for a command, a --process file's own instead of it
     * (runc's rule), and a list that is none is refused naming its file and field. Fails on 17985a3: no such fields.
     */
    @Test
    void execCpuAffinityComesFromTheProcessFileElseConfigJson() throws Exception {
        Map<String, Object> spec = SpecTemplate.create();
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) spec.get("process");
        process.put("terminal", false);
        process.put("execCPUAffinity", Map.of("initial", "0", "final", "1-2"));
        Files.writeString(h.store.configCopy("c1"), JsonWriter.pretty(spec));
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        exec(options());
        assertEquals("0", BitmaskList.format(planSent().initialCpus()));
        assertEquals("1-2", BitmaskList.format(planSent().finalCpus()));

        Path file = tmp.resolve("process.json");
        Files.writeString(file, "{\"args\":[\"ls\"],\"cwd\":\"/\",\"execCPUAffinity\":{\"final\":\"3\"}}");
        h.sys.calls.clear();
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        exec(withProcessFile(file.toString()));
        ExecPlan plan = SyncFrames.sentToStage(h.sys).stream()
                .filter(f -> f.type() == SyncChannel.Type.PLAN)
                .map(f -> PlanCodec.decodeExecPlan(f.payload()))
                .reduce((first, second) -> second)
                .orElseThrow();
        assertEquals(null, plan.initialCpus(), "the file's own affinity replaces config.json's as a whole");
        assertEquals("3", BitmaskList.format(plan.finalCpus()));

        Files.writeString(file, "{\"args\":[\"ls\"],\"cwd\":\"/\",\"execCPUAffinity\":{\"initial\":\"2-1\"}}");
        assertEquals(
                file + ": field execCPUAffinity.initial: \"2-1\" is not a list like \"0-3,7\": the range 2-1 runs "
                        + "backwards",
                failure(withProcessFile(file.toString())));
    }

    private static ExecOptions withProcessFile(String file) {
        return new ExecOptions(
                "c1", file, List.of(), false, null, null, true, null, null, List.of(), null, List.of(), List.of(),
                false, null, null, 0, false, null);
    }

    /**
     * A filter with SCMP_ACT_NOTIFY: the agent at listenerPath is connected before the stage starts (a missing one
     * fails the exec, leaving nothing open), and the stage gets the connection and the container's state for its
     * message. Fails on 17985a3: such an exec was refused.
     */
    @Test
    void aNotifyingFilterHandsTheStageTheAgentsConnection() throws Exception {
        Map<String, Object> spec = SpecTemplate.create();
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) spec.get("process");
        process.put("terminal", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        linux.put(
                "seccomp",
                Map.of(
                        "defaultAction",
                        "SCMP_ACT_ALLOW",
                        "listenerPath",
                        "/run/agent.sock",
                        "syscalls",
                        List.of(Map.of("names", List.of("mkdir"), "action", "SCMP_ACT_NOTIFY"))));
        Files.writeString(h.store.configCopy("c1"), JsonWriter.pretty(spec));
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        exec(options());
        ExecPlan plan = planSent();
        int[] passed = h.spawner.requests().get(0).passFds();
        assertTrue(
                plan.seccompListener() > 0 && IntStream.of(passed).anyMatch(fd -> fd == plan.seccompListener()),
                "the agent's connection is passed: " + plan.seccompListener());
        assertEquals("running", plan.stateJson().get("status"));
        assertEquals((long) self, plan.stateJson().get("pid"));
        assertEquals(4, passed.length, "sync, mount namespace, cgroup.procs, agent");
        assertEquals(List.of(), h.sys.openFds());

        h.sys.failOn("connect /run/agent.sock", new SyscallException("connect", "", Errno.ENOENT));
        assertEquals(
                "linux.seccomp.listenerPath /run/agent.sock: connect: no such file or directory", failure(options()));
        assertEquals(List.of(), h.sys.openFds());
    }

    /**
     * --pidfd-socket: connected before the spawn and kept from the stage; a pidfd of the process goes there with
     * runc's "setns" once it runs. Fails on 17985a3: no such option.
     */
    @Test
    void thePidfdSocketGetsAPidfdOfTheExecdProcess() {
        stageSays(SyncChannel.Type.HELLO, Integer.toString(STAGE));
        stageSays(SyncChannel.Type.READY, "");
        stageSays(SyncChannel.Type.STARTED, "4242");
        assertEquals(0, exec(options(null, false, null, false, "/run/pidfd.sock")));
        assertEquals(List.of("pidfd_open 4242"), h.sys.calls("pidfd_open"));
        assertEquals(List.of("sendmsg socket:/run/pidfd.sock setns"), h.sys.calls("sendmsg"));
        assertEquals(3, h.spawner.requests().get(0).passFds().length, "the stage does not get it");
        assertEquals(List.of(), h.sys.openFds());

        h.sys.failOn("connect /run/pidfd.sock", new SyscallException("connect", "", Errno.ENOENT));
        assertEquals(
                "--pidfd-socket /run/pidfd.sock: connect: no such file or directory",
                failure(options(null, false, null, false, "/run/pidfd.sock")));
        assertEquals(List.of(), h.sys.openFds());
    }
}
