package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.json.Json;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.Status;
import org.junit.jupiter.api.Test;

/**
 * The status `state` (and every other operation) derives from the record, the processes, the freezer and exec.fifo:
 * creating, created, running, paused, stopped, on fake processes and a fake cgroup.
 */
class ContainerStateTest extends OperationTest {
    private Status status(String id) {
        return new ContainerState(h.host()).status(h.store.load(id));
    }

    @Test
    void aCreateInProgressIsCreatingWhileItsCreatorLives() {
        ContainerRecord r = h.container("c1");
        r.createComplete = false;
        r.creatorPid = 5000;
        r.creatorStartTicks = 50;
        h.save(r);
        h.processes.running(5000, 50);
        h.processes.running(FakeHost.INIT, FakeHost.INIT_TICKS);
        assertEquals(Status.CREATING, status("c1"));
        h.processes.zombie(5000, 50);
        assertEquals(Status.STOPPED, status("c1"), "a create that died half-way, even with its init alive");
        assertEquals(List.of(), h.cgroups.calls(), "an unfinished create is never asked about its freezer");
    }

    @Test
    void createdWhileExecFifoIsThereThenRunning() throws Exception {
        h.created("c1");
        assertEquals(Status.CREATED, status("c1"));
        Files.delete(h.store.fifo("c1"));
        assertEquals(Status.RUNNING, status("c1"));
        assertEquals(List.of("isFrozen", "isFrozen"), h.cgroups.calls());
        assertEquals(FakeHost.CGROUP, h.cgroups.paths().get("unified"), "the recorded cgroup is the one asked");
    }

    @Test
    void aFrozenCgroupIsPausedWhateverTheFifo() throws Exception {
        h.created("c1");
        h.cgroups.frozen(true);
        assertEquals(Status.PAUSED, status("c1"));
    }

    @Test
    void anInitThatExitedOrWasReplacedIsStopped() {
        h.stopped("c1");
        assertEquals(Status.STOPPED, status("c1"), "no such process");
        h.processes.zombie(FakeHost.INIT, FakeHost.INIT_TICKS);
        assertEquals(Status.STOPPED, status("c1"), "exited, not reaped");
        h.processes.running(FakeHost.INIT, FakeHost.INIT_TICKS + 1);
        assertEquals(Status.STOPPED, status("c1"), "its pid reused by another process");
        assertEquals(List.of(), h.cgroups.calls(), "a stopped container's freezer is not read");
    }

    @Test
    void theStateJsonShowsThePidOnlyWhileThereIsAProcess() {
        h.running("c1");
        String json = new ContainerState(h.host()).json("c1");
        assertEquals("running", Json.parseObject(json).get("status"));
        assertEquals(4242L, ((Number) Json.parseObject(json).get("pid")).longValue());
        h.processes.gone(FakeHost.INIT);
        json = new ContainerState(h.host()).json("c1");
        assertEquals("stopped", Json.parseObject(json).get("status"));
        assertEquals(0L, ((Number) Json.parseObject(json).get("pid")).longValue());
        assertTrue(json.contains("\n  \"id\": \"c1\""), "indented like runc: " + json);
        assertEquals(0, h.syscallsReached, "state needs no system call");
        assertEquals(List.of(), h.processes.signals());
    }

    @Test
    void aMissingContainerIsRuncsError() {
        assertEquals(
                "container does not exist",
                assertThrows(JruncException.class, () -> new ContainerState(h.host()).json("nope"))
                        .getMessage());
    }
}
