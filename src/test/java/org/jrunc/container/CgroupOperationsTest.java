package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.FakeCgroupManager;
import org.jrunc.hooks.FakeHooks;
import org.jrunc.process.FakeProcesses;
import org.jrunc.process.Signals;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The container operations on a stopped container (no process is ever signalled: the fake cgroup has no pids), with
 * their cgroup work going to a {@link FakeCgroupManager}; no system calls at all (the host has none to give).
 */
class CgroupOperationsTest {
    @TempDir
    Path tmp;

    StateStore store;
    final FakeCgroupManager cgroup = new FakeCgroupManager();
    ContainerHost host;

    @BeforeEach
    void aStoppedContainer() {
        store = new StateStore(tmp.toString());
        host = new ContainerHost(store, null, cgroup, new FakeProcesses(), new FakeHooks(new ArrayList<>()));
        store.reserve("c1");
        ContainerRecord r = new ContainerRecord();
        r.id = "c1";
        r.createComplete = true; // its init (pid 0) is not alive: stopped
        r.cgroupPaths = Map.of("unified", "/sys/fs/cgroup/jrunc/c1");
        r.createdCgroups = List.of("/sys/fs/cgroup/jrunc/c1");
        store.save(r);
    }

    @Test
    void killAllOfAStoppedContainerSignalsItsCgroup() {
        new ContainerKill(host).kill("c1", Signals.SIGTERM, true);
        assertEquals(List.of("killAll 15"), cgroup.calls());
        assertEquals(Map.of("unified", "/sys/fs/cgroup/jrunc/c1"), cgroup.paths());
        assertEquals(
                "container not running",
                assertThrows(JruncException.class, () -> new ContainerKill(host).kill("c1", Signals.SIGTERM, false))
                        .getMessage());
    }

    @Test
    void deleteEmptiesAndRemovesTheCgroup() {
        new ContainerDelete(host).delete("c1", false);
        assertEquals(List.of("pids", "pids", "destroy"), cgroup.calls());
        assertFalse(store.exists("c1"));
    }

    @Test
    void aCgroupThatCannotBeRemovedFailsTheDelete() {
        cgroup.failOn("destroy", new JruncException("cannot remove cgroup x: busy"));
        assertEquals(
                "cannot remove cgroup x: busy",
                assertThrows(JruncException.class, () -> new ContainerDelete(host).delete("c1", false))
                        .getMessage());
    }

    @Test
    void pauseNeedsARunningContainer() {
        assertEquals(
                "container not running",
                assertThrows(JruncException.class, () -> new ContainerPause(host).pause("c1"))
                        .getMessage());
        assertEquals(List.of(), cgroup.calls());
    }

    @Test
    void psListsTheCgroupsProcesses() {
        assertEquals(List.of(), new ContainerPs(host).pids("c1"));
        assertEquals(List.of("pids"), cgroup.calls());
    }
}
