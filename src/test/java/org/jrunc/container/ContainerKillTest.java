package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.process.Signals;
import org.jrunc.state.ContainerRecord;
import org.junit.jupiter.api.Test;

/**
 * `kill [--all] ID [SIGNAL]`: whom it signals, through the host's processes and the cgroup manager, in which order,
 * and what it refuses; never a system call of its own (TERM and KILL must not load JNA).
 */
class ContainerKillTest extends OperationTest {
    private static final int SIGUSR1 = 10;

    private void kill(String id, int signal, boolean all) {
        new ContainerKill(h.host()).kill(id, signal, all);
    }

    private String refusal(String id, int signal, boolean all) {
        return assertThrows(JruncException.class, () -> kill(id, signal, all)).getMessage();
    }

    @Test
    void theInitOfARunningContainerGetsTheSignal() {
        h.running("c1");
        kill("c1", Signals.SIGTERM, false);
        assertEquals(List.of("4242:15"), h.processes.signals());
        assertFalse(h.processes.alive(FakeHost.INIT));
        assertEquals(List.of("cgroup isFrozen"), h.journal("cgroup"), "no cgroup work without --all");
        assertEquals(0, h.syscallsReached);
    }

    @Test
    void aCreatedContainerCanBeSignalledToo() throws Exception {
        h.created("c1");
        h.processes.ignoringTerm(FakeHost.INIT);
        kill("c1", SIGUSR1, false);
        assertEquals(List.of("4242:10"), h.processes.signals());
        assertTrue(h.processes.alive(FakeHost.INIT));
    }

    @Test
    void aStoppedOrHalfCreatedContainerIsNotRunning() {
        h.stopped("c1");
        assertEquals("container not running", refusal("c1", Signals.SIGTERM, false));
        ContainerRecord r = h.container("c2");
        r.createComplete = false;
        r.creatorPid = h.processes.self().pid();
        r.creatorStartTicks = h.processes.self().startTicks();
        h.save(r);
        h.processes.running(FakeHost.INIT, FakeHost.INIT_TICKS);
        assertEquals("container not running", refusal("c2", Signals.SIGKILL, false));
        assertEquals(List.of(), h.processes.signals(), "a half-created container's init is create's to kill");
        assertEquals("container does not exist", refusal("c3", Signals.SIGKILL, false));
    }

    /** A container made without any cgroup (rootless, nothing writable): --all reaches the init's whole tree. */
    @Test
    void allWithoutACgroupSignalsTheInitsTree() throws Exception {
        ContainerRecord r = h.running("c1");
        r.cgroupPaths = Map.of();
        h.save(r);
        h.processes.child(501, FakeHost.INIT, 1).child(502, 501, 2).running(900, 3);
        kill("c1", Signals.SIGKILL, true);
        assertEquals(List.of("501:9", "502:9", "4242:9"), h.processes.signals(), "not 900, which is not in the tree");
    }

    @Test
    void allSignalsTheCgroupThenTheInitWhichMayNotBeInItYet() throws Exception {
        h.created("c1");
        h.cgroups.withPids(101, 102);
        kill("c1", Signals.SIGTERM, true);
        assertEquals(
                List.of("cgroup isFrozen", "cgroup killAll 15", "signal 101 15", "signal 102 15", "signal 4242 15"),
                h.journal);
        assertEquals(List.of("101:15", "102:15"), h.cgroups.signalsSent());
    }

    @Test
    void allOfAStoppedContainerStillEmptiesItsCgroupAndSucceeds() {
        h.stopped("c1");
        h.cgroups.withPids(101);
        kill("c1", Signals.SIGKILL, true);
        assertEquals(List.of("cgroup killAll 9", "signal 101 9"), h.journal, "the dead init is not signalled");
    }

    @Test
    void sigkillOfAPausedContainerThawsIt() {
        h.paused("c1");
        kill("c1", Signals.SIGKILL, false);
        assertEquals(
                List.of("cgroup isFrozen", "signal 4242 9", "cgroup thaw"),
                h.journal,
                "a frozen process does not die until it is thawed");
        assertFalse(h.cgroups.isFrozenNow());
    }

    @Test
    void otherSignalsLeaveAPausedContainerFrozen() {
        h.paused("c1");
        h.processes.ignoringTerm(FakeHost.INIT);
        kill("c1", Signals.SIGTERM, false);
        assertEquals(List.of("cgroup isFrozen", "signal 4242 15"), h.journal);
        assertTrue(h.cgroups.isFrozenNow());
    }

    @Test
    void anInitThatExitsBeforeTheSignalIsNotRunning() {
        h.running("c1");
        h.processes.exitsBeforeTheSignal(FakeHost.INIT);
        assertEquals("container not running", refusal("c1", Signals.SIGTERM, false));
        assertEquals(List.of("4242:15"), h.processes.signals());
    }
}
