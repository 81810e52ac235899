package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.json.Json;
import org.jrunc.state.ContainerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `delete [--force]`: which containers it destroys, and the order of the destruction: kill the init and whatever is
 * left in the cgroup, end the monitor, remove the cgroup, remove the state, then the poststop hooks (whose failures
 * are only warnings).
 */
class ContainerDeleteTest extends OperationTest {
    @BeforeEach
    void hooksLookAtTheState() {
        h.hooks.onRun(() -> h.journal.add("state there: " + h.store.exists("c1")));
    }

    private void delete(String id, boolean force) {
        new ContainerDelete(h.host()).delete(id, force);
    }

    private String refusal(String id, boolean force) {
        return assertThrows(JruncException.class, () -> delete(id, force)).getMessage();
    }

    @Test
    void aCreatedContainerIsKilledAndDestroyedWithoutForce() throws Exception {
        ContainerRecord r = h.created("c1");
        r.poststopHooks = List.of(FakeHost.hook("/hooks/stop"));
        h.save(r);
        delete("c1", false);
        assertEquals(
                List.of(
                        "cgroup isFrozen",
                        "signal 4242 9",
                        "cgroup pids",
                        "cgroup pids",
                        "cgroup destroy",
                        "hook poststop /hooks/stop",
                        "state there: false"),
                h.journal);
        assertFalse(h.store.exists("c1"));
        Map<String, Object> state = Json.parseObject(h.hooks.stateOf("poststop"));
        assertEquals("stopped", state.get("status"));
        assertEquals(0L, ((Number) state.get("pid")).longValue());
        assertEquals(1, h.syscallsReached, "only the hooks need system calls");
    }

    @Test
    void aStoppedContainerIsDestroyedWithoutSignals() {
        h.stopped("c1");
        delete("c1", false);
        assertEquals(
                List.of("cgroup pids", "cgroup pids", "cgroup destroy"),
                h.journal,
                "its cgroup is emptied first: a process may be left over");
        assertFalse(h.store.exists("c1"));
        assertEquals(0, h.syscallsReached, "delete without hooks makes no system call (no JNA)");
    }

    @Test
    void whatIsLeftInTheCgroupIsKilledThroughTheManager() {
        h.running("c1");
        h.cgroups.withPids(101, 102);
        delete("c1", true);
        assertEquals(
                List.of(
                        "cgroup isFrozen",
                        "signal 4242 9",
                        "cgroup pids",
                        "cgroup killAll 9",
                        "signal 101 9",
                        "signal 102 9",
                        "cgroup pids",
                        "cgroup destroy"),
                h.journal);
    }

    @Test
    void aRunningOrPausedContainerNeedsForce() {
        h.running("c1");
        assertEquals("cannot delete container c1 that is not stopped: running", refusal("c1", false));
        h.paused("c2");
        assertEquals("cannot delete container c2 that is not stopped: paused", refusal("c2", false));
        assertTrue(h.store.exists("c1") && h.store.exists("c2"));
        assertEquals(List.of(), h.processes.signals());
        assertFalse(h.journal.contains("cgroup destroy"));
        delete("c2", true);
        assertEquals(List.of("4242:9"), h.processes.signals());
        assertFalse(h.store.exists("c2"));
    }

    @Test
    void aContainerBeingCreatedIsNotDeletedEvenWithForce() {
        ContainerRecord r = h.container("c1");
        r.createComplete = false;
        r.creatorPid = h.processes.self().pid();
        r.creatorStartTicks = h.processes.self().startTicks();
        h.save(r);
        assertEquals("cannot delete container c1 that is being created", refusal("c1", true));
        assertTrue(h.store.exists("c1"));
        h.processes.gone(h.processes.self().pid());
        delete("c1", false);
        assertFalse(h.store.exists("c1"), "once its create is gone it is stopped, and deletable");
    }

    /** fails on fbadc0c: the init of a half-made create without cgroup paths (rootless, no cgroup) was left alive. */
    @Test
    void theInitOfAHalfMadeCreateWithoutACgroupIsKilled() {
        ContainerRecord r = h.container("c1");
        r.createComplete = false;
        r.cgroupPaths = new LinkedHashMap<>();
        r.createdCgroups = List.of();
        h.save(r);
        h.processes.running(FakeHost.INIT, FakeHost.INIT_TICKS);
        delete("c1", true);
        assertEquals(List.of("4242:9"), h.processes.signals());
        assertFalse(h.store.exists("c1"));
    }

    @Test
    void aMissingContainerIsAnErrorUnlessForced() {
        assertEquals("container does not exist", refusal("c1", false));
        delete("c1", true);
        assertEquals(List.of(), h.journal);
    }

    @Test
    void aDirectoryWithoutReadableStateIsRemoved() throws Exception {
        h.store.reserve("c1");
        Files.writeString(h.store.dir("c1").resolve("state.json"), "{not json");
        String e = refusal("c1", false);
        assertTrue(e.startsWith(h.store.dir("c1").resolve("state.json") + ": corrupt state file: "), e);
        assertFalse(h.store.exists("c1"), "removed even so");
        h.store.reserve("c2");
        delete("c2", true);
        assertFalse(h.store.exists("c2"));
        assertEquals(List.of(), h.journal, "nothing recorded, nothing to kill");
    }

    @Test
    void theMonitorIsEndedBeforeTheCgroupGoes() {
        ContainerRecord r = h.stopped("c1");
        r.monitorPid = 3000;
        r.monitorStartTicks = 30;
        h.save(r);
        h.processes.running(3000, 30);
        delete("c1", false);
        assertEquals(List.of("cgroup pids", "cgroup pids", "signal 3000 9", "cgroup destroy"), h.journal);
        h.journal.clear();
        r = h.stopped("c2");
        r.monitorPid = 3000;
        r.monitorStartTicks = 31;
        h.save(r);
        delete("c2", false);
        assertEquals(
                List.of("cgroup pids", "cgroup pids", "cgroup destroy"),
                h.journal,
                "another process with the monitor's pid is left alone");
    }

    @Test
    void failingPoststopHooksAreWarningsAndAllRun() {
        ContainerRecord r = h.stopped("c1");
        r.poststopHooks = List.of(FakeHost.hook("/hooks/a"), FakeHost.hook("/hooks/b"));
        h.save(r);
        h.hooks.failing("/hooks/a", "oops");
        delete("c1", false);
        assertEquals(List.of("hook poststop /hooks/a", "hook poststop /hooks/b"), h.journal("hook"));
        assertFalse(h.store.exists("c1"));
    }

    @Test
    void aCgroupThatCannotBeRemovedKeepsTheStateAndSkipsTheHooks() {
        ContainerRecord r = h.stopped("c1");
        r.poststopHooks = List.of(FakeHost.hook("/hooks/stop"));
        h.save(r);
        h.cgroups.failOn("destroy", new JruncException("cannot remove cgroup x: busy"));
        assertEquals("cannot remove cgroup x: busy", refusal("c1", false));
        assertTrue(h.store.exists("c1"), "so that delete can be tried again");
        assertEquals(List.of(), h.journal("hook"));
    }
}
