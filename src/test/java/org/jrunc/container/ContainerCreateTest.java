package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.config.SpecTemplate;
import org.jrunc.json.Json;
import org.jrunc.json.JsonWriter;
import org.jrunc.process.SpawnRequest;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.PlanCodec;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.state.ContainerRecord;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `create` up to and around the init: the order of its steps (state, cgroup, then the first system call, the spawn,
 * the conversation with the init) and what a failure at each step gives back: the descriptors, the init (killed, or
 * reaped when it exited), the cgroup and the state directory. The init is a {@link org.jrunc.process.FakeSpawner}'s
 * pid 4242, whose side of the sync socket ("socket:a" to the recording system calls) is scripted.
 */
class ContainerCreateTest extends OperationTest {
    Path bundle;
    CreatePlan planned;

    @BeforeEach
    void aBundle() throws Exception {
        bundle = tmp.resolve("bundle");
        writeBundle(Map.of());
    }

    /** runc's template without a terminal or a cgroup namespace, with {@code hooks} ("prestart" -> paths). */
    private void writeBundle(Map<String, List<String>> hooks) throws Exception {
        Files.createDirectories(bundle.resolve("rootfs"));
        Map<String, Object> spec = SpecTemplate.create();
        @SuppressWarnings("unchecked")
        Map<String, Object> process = (Map<String, Object>) spec.get("process");
        process.put("terminal", false);
        @SuppressWarnings("unchecked")
        Map<String, Object> linux = (Map<String, Object>) spec.get("linux");
        List<Object> namespaces = new ArrayList<>();
        for (String ns : List.of("pid", "network", "ipc", "uts", "mount")) {
            namespaces.add(Map.of("type", ns));
        }
        linux.put("namespaces", namespaces);
        Map<String, Object> phases = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, List<String>> e : hooks.entrySet()) {
            List<Object> list = new ArrayList<>();
            for (String path : e.getValue()) {
                list.add(Map.of("path", path));
            }
            phases.put(e.getKey(), list);
        }
        if (!phases.isEmpty()) {
            spec.put("hooks", phases);
        }
        Files.writeString(bundle.resolve("config.json"), JsonWriter.pretty(spec));
    }

    private CreateOptions options(String pidFile) {
        return options(pidFile, null);
    }

    private CreateOptions options(String pidFile, String pidfdSocket) {
        return new CreateOptions(
                "c1", bundle, pidFile, null, pidfdSocket, false, false, 0, "", false, false, false, false);
    }

    /** Plans on this host (config.json, cgroup layout), and gives each planned cgroup its cgroup.procs. */
    private CreatePlan plan(CreateOptions o) {
        planned = CreatePlan.of(o);
        for (String dir : planned.cgroup().dirs().values()) {
            h.sys.file(dir + "/cgroup.procs");
        }
        return planned;
    }

    private ContainerCreate.Created create(CreateOptions o) {
        CreatePlan plan = plan(o);
        return new ContainerCreate(h.host(), h.spawner).create(o, plan);
    }

    private String failure(CreateOptions o) {
        CreatePlan plan = plan(o);
        return assertThrows(RuntimeException.class, () -> new ContainerCreate(h.host(), h.spawner).create(o, plan))
                .getMessage();
    }

    /** What the init writes on its end of the sync socket. */
    private void initSays(SyncChannel.Type type, String text) {
        SyncFrames.stageSays(h.sys, type, text);
    }

    /** The frames create sent the init, as "TYPE" (the plan) or "TYPE text". */
    private List<String> toInit() {
        List<String> out = new ArrayList<>();
        for (SyncChannel.Frame f : SyncFrames.sentToStage(h.sys)) {
            out.add(f.type() == SyncChannel.Type.PLAN ? "PLAN" : (f.type() + " " + f.text()).trim());
        }
        return out;
    }

    /** The journal without the file work on the recording system calls: cgroup, spawn, signals, kill, waitpid. */
    private List<String> steps() {
        List<String> out = new ArrayList<>();
        for (String e : h.journal) {
            if (e.startsWith("cgroup ")
                    || e.startsWith("spawn ")
                    || e.startsWith("signal ")
                    || e.startsWith("kill ")
                    || e.startsWith("waitpid ")
                    || e.startsWith("hook ")) {
                out.add(e);
            }
        }
        return out;
    }

    private void assertEverythingGivenBack() {
        assertFalse(h.store.exists("c1"), "the state directory is removed");
        assertEquals(List.of(), h.sys.openFds(), "every descriptor is closed");
        assertTrue(h.journal.contains("cgroup destroy"), "the cgroup is removed");
    }

    @Test
    void theInitIsSpawnedTalkedThroughItsSetUpAndRecorded() throws Exception {
        initSays(SyncChannel.Type.HELLO, "4242");
        initSays(SyncChannel.Type.WARN, "a warning");
        initSays(SyncChannel.Type.READY, "");
        Path pidFile = tmp.resolve("pid");
        ContainerCreate.Created c = create(options(pidFile.toString()));
        assertEquals(4242, c.initPid());
        assertEquals(List.of("cgroup create", "cgroup apply", "spawn org.jrunc.stage.InitMain"), steps());
        assertEquals(List.of("PLAN"), toInit());
        InitPlan sent =
                PlanCodec.decodeInitPlan(SyncFrames.sentToStage(h.sys).get(0).payload());
        assertEquals("c1", sent.containerId());
        assertEquals("4242", Files.readString(pidFile));
        assertEquals(List.of(), h.sys.openFds(), "create keeps no descriptor");

        ContainerRecord r = h.store.load("c1");
        assertTrue(r.createComplete);
        assertEquals(4242, r.initPid);
        assertEquals(777, r.initStartTicks, "the start time from the host's processes");
        assertEquals(4000, r.creatorPid, "the creator is this process");
        assertEquals(400, r.creatorStartTicks);
        assertEquals(h.cgroups.paths(), r.cgroupPaths);
        assertTrue(h.sys.calls.contains("mknod " + h.store.fifo("c1") + " 10622"), h.sys.calls.toString());
        assertTrue(Files.exists(h.store.configCopy("c1")), "config.json is kept");

        SpawnRequest req = h.spawner.requests().get(0);
        int cgroupDirs = new java.util.HashSet<>(planned.cgroup().dirs().values()).size();
        assertEquals(2 + cgroupDirs, req.passFds().length, "the sync socket, exec.fifo and each cgroup.procs");
        assertArrayEquals(new String[] {"LANG=C.UTF-8"}, req.envp());
        assertEquals(List.of(), req.readonlyRuntime(), "a new pid namespace: no one sees the init JVM");
    }

    @Test
    void aCgroupFailureIsUndoneBeforeAnySystemCall() {
        h.cgroups.failOn("apply", new JruncException("memory.max: invalid"));
        assertEquals("memory.max: invalid", failure(options(null)));
        assertEquals(List.of("cgroup create", "cgroup apply", "cgroup destroy"), steps());
        assertEquals(0, h.syscallsReached, "create works without system calls until the cgroup is filled");
        assertEverythingGivenBack();
    }

    @Test
    void aFailureBeforeTheSpawnClosesWhatWasOpened() {
        h.sys.failOn("socketpair", new SyscallException("socketpair", "", Errno.ENOMEM));
        failure(options(null));
        assertEquals(List.of("cgroup create", "cgroup apply", "cgroup destroy"), steps(), "nothing to kill");
        assertTrue(
                h.sys.calls.stream().anyMatch(c -> c.startsWith("open ") && c.endsWith("/cgroup.procs")),
                "the cgroup.procs were open when it failed");
        assertEverythingGivenBack();
    }

    @Test
    void aFailedSpawnIsUndone() {
        h.spawner.failsWith(new JruncException("clone: resource temporarily unavailable"));
        assertEquals("clone: resource temporarily unavailable", failure(options(null)));
        assertEquals(
                List.of("cgroup create", "cgroup apply", "spawn org.jrunc.stage.InitMain", "cgroup destroy"), steps());
        // the runtime's end of the sync socket too, which the channel would have closed had the spawn worked
        assertEverythingGivenBack();
    }

    @Test
    void anInitThatReportsAnErrorIsKilledThenEverythingElseUndone() {
        initSays(SyncChannel.Type.HELLO, "4242");
        initSays(SyncChannel.Type.ERROR, "mount proc: operation not permitted");
        assertEquals("mount proc: operation not permitted", failure(options(null)));
        assertEquals(
                List.of(
                        "cgroup create",
                        "cgroup apply",
                        "spawn org.jrunc.stage.InitMain",
                        "kill 4242 9",
                        "waitpid 4242",
                        "cgroup destroy"),
                steps());
        assertEverythingGivenBack();
    }

    @Test
    void anInitThatExitsBeforeItsHelloIsReapedNotKilled() {
        String m = failure(options(null));
        assertTrue(m.startsWith("container init exited before it started ("), m);
        assertEquals(
                List.of(
                        "cgroup create",
                        "cgroup apply",
                        "spawn org.jrunc.stage.InitMain",
                        "waitpid 4242",
                        "cgroup destroy"),
                steps());
        assertEverythingGivenBack();
    }

    @Test
    void anInitThatExitsAfterItsHelloIsReportedWithItsStatus() {
        initSays(SyncChannel.Type.HELLO, "4242");
        String m = failure(options(null));
        assertTrue(m.startsWith("container init exited before it was ready ("), m);
        assertEquals(List.of("PLAN"), toInit());
        assertFalse(steps().contains("kill 4242 9"), "reaped already");
        assertEverythingGivenBack();
    }

    @Test
    void anotherPidInTheHelloKillsTheSpawnedOne() {
        initSays(SyncChannel.Type.HELLO, "99");
        assertEquals("container init reported pid 99, expected 4242", failure(options(null)));
        assertTrue(steps().containsAll(List.of("kill 4242 9", "waitpid 4242")), steps().toString());
        assertEverythingGivenBack();
    }

    @Test
    void theRuntimeHooksRunWhenTheInitAsks() throws Exception {
        writeBundle(Map.of("prestart", List.of("/hooks/pre"), "createRuntime", List.of("/hooks/rt")));
        initSays(SyncChannel.Type.HELLO, "4242");
        initSays(SyncChannel.Type.RUN_HOOKS, "");
        initSays(SyncChannel.Type.READY, "");
        create(options(null));
        assertEquals(
                List.of(
                        "cgroup create",
                        "cgroup apply",
                        "spawn org.jrunc.stage.InitMain",
                        "hook prestart /hooks/pre",
                        "hook createRuntime /hooks/rt"),
                steps());
        assertEquals(List.of("PLAN", "HOOKS_DONE"), toInit());
        Map<String, Object> state = Json.parseObject(h.hooks.stateOf("prestart"));
        assertEquals("created", state.get("status"), "after the runtime environment (lifecycle step 2) was made");
        assertEquals(4242L, ((Number) state.get("pid")).longValue());
    }

    @Test
    void aFailingRuntimeHookIsToldToTheInitAndUndoesTheCreate() throws Exception {
        writeBundle(Map.of("prestart", List.of("/hooks/pre"), "createRuntime", List.of("/hooks/rt")));
        h.hooks.failing("/hooks/pre", "no");
        initSays(SyncChannel.Type.HELLO, "4242");
        initSays(SyncChannel.Type.RUN_HOOKS, "");
        String m = failure(options(null));
        assertEquals("prestart hook /hooks/pre failed: exit status 1, output: no", m);
        assertEquals(List.of("PLAN", "ERROR " + m), toInit());
        assertEquals(
                List.of(
                        "cgroup create",
                        "cgroup apply",
                        "spawn org.jrunc.stage.InitMain",
                        "hook prestart /hooks/pre",
                        "kill 4242 9",
                        "waitpid 4242",
                        "cgroup destroy"),
                steps());
        assertEverythingGivenBack();
    }

    @Test
    void anIdInUseIsRefusedAndItsContainerLeftAlone() {
        h.running("c1");
        assertEquals("container with given ID already exists", failure(options(null)));
        assertTrue(h.store.exists("c1"));
        assertEquals(List.of(), steps());
    }

    @Test
    void aCgroupThatCannotBeRemovedIsOnlyAWarningOfTheUndo() {
        h.cgroups.failOn("apply", new JruncException("pids.max: invalid"));
        h.cgroups.failOn("destroy", new JruncException("cannot remove cgroup: busy"));
        assertEquals("pids.max: invalid", failure(options(null)), "the first failure is the error");
        assertFalse(h.store.exists("c1"));
    }

    /**
     * --pidfd-socket: connected before the spawn and kept from the init; once the init is READY a pidfd of it goes
     * there with runc's "standard". Fails on 17985a3: no such option.
     */
    @Test
    void thePidfdSocketGetsAPidfdOfTheContainersProcess() {
        initSays(SyncChannel.Type.HELLO, "4242");
        initSays(SyncChannel.Type.READY, "");
        create(options(null, "/run/pidfd.sock"));
        assertEquals(List.of("pidfd_open 4242"), h.sys.calls("pidfd_open"));
        assertEquals(List.of("sendmsg socket:/run/pidfd.sock standard"), h.sys.calls("sendmsg"));
        int cgroupDirs = new java.util.HashSet<>(planned.cgroup().dirs().values()).size();
        assertEquals(2 + cgroupDirs, h.spawner.requests().get(0).passFds().length, "the init does not get it");
        assertEquals(List.of(), h.sys.openFds(), "the socket and the pidfd are closed");
    }

    @Test
    void aPidfdSocketNobodyListensOnUndoesTheCreate() {
        h.sys.failOn("connect /run/pidfd.sock", new SyscallException("connect", "", Errno.ECONNREFUSED));
        assertEquals(
                "--pidfd-socket /run/pidfd.sock: connect: connection refused",
                failure(options(null, "/run/pidfd.sock")));
        assertEverythingGivenBack();
    }
}
