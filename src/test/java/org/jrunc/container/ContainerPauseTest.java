package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.state.ContainerRecord;
import org.junit.jupiter.api.Test;

/** `pause` and `resume`: the freezer of the container's cgroup, and runc's refusals. */
class ContainerPauseTest extends OperationTest {
    private ContainerPause pause() {
        return new ContainerPause(h.host());
    }

    @Test
    void aRunningContainerIsFrozenThenThawed() {
        h.running("c1");
        pause().pause("c1");
        assertTrue(h.cgroups.isFrozenNow());
        assertEquals(
                "paused",
                new ContainerState(h.host()).status(h.store.load("c1")).value());
        pause().resume("c1");
        assertFalse(h.cgroups.isFrozenNow());
        assertEquals(List.of("isFrozen", "freeze", "isFrozen", "isFrozen", "thaw"), h.cgroups.calls());
        assertEquals(FakeHost.CGROUP, h.cgroups.paths().get("unified"));
        assertEquals(List.of(), h.processes.signals());
        assertEquals(0, h.syscallsReached);
    }

    @Test
    void aCreatedContainerCanBePaused() throws Exception {
        h.created("c1");
        pause().pause("c1");
        assertTrue(h.cgroups.isFrozenNow());
    }

    @Test
    void onlyALiveUnfrozenContainerIsPaused() {
        h.stopped("c1");
        assertEquals(
                "container not running",
                assertThrows(JruncException.class, () -> pause().pause("c1")).getMessage());
        h.paused("c2");
        assertEquals(
                "container not running",
                assertThrows(JruncException.class, () -> pause().pause("c2")).getMessage(),
                "already paused");
        assertFalse(h.cgroups.calls().contains("freeze"));
    }

    @Test
    void onlyAPausedContainerIsResumed() {
        h.running("c1");
        assertEquals(
                "container not paused",
                assertThrows(JruncException.class, () -> pause().resume("c1")).getMessage());
        ContainerRecord r = h.stopped("c2");
        r.initPid = 4343; // c1's init is alive
        h.save(r);
        h.cgroups.frozen(true);
        assertEquals(
                "container not paused",
                assertThrows(JruncException.class, () -> pause().resume("c2")).getMessage(),
                "a stopped container is stopped, whatever its freezer says");
        assertFalse(h.cgroups.calls().contains("thaw"));
    }

    @Test
    void aFreezerFailureIsTheError() {
        h.running("c1");
        h.cgroups.failOn("freeze", new JruncException("cannot freeze: timeout"));
        assertEquals(
                "cannot freeze: timeout",
                assertThrows(JruncException.class, () -> pause().pause("c1")).getMessage());
    }
}
