package org.jrunc.cgroups.manager;

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
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.FakeCgroupTree;
import org.jrunc.cgroups.Res;
import org.jrunc.sys.Errno;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cgroupfs manager on a fake hybrid host (v1 controllers, hugetlb on cgroup2) and on a pure v2 host. */
class CgroupfsManagerTest {
    private static final int SIGTERM = 15;
    private static final int SIGKILL = 9;

    @TempDir
    Path tmp;

    /** Records signals instead of sending them. */
    static final class Recorder implements CgroupManager.Signaller {
        final List<String> sent = new ArrayList<>();

        @Override
        public boolean signal(int pid, int signal) {
            sent.add(pid + ":" + signal);
            return true;
        }
    }

    private static CgroupfsManagers env(FakeCgroupTree t) {
        return new CgroupfsManagers(t.layout(), t, new FakeCgroupTree.RecordingInstaller(), List.of("2MB", "1GB"));
    }

    /** A recorded container whose cgroup exists with these processes in every hierarchy. */
    private static CgroupManager recorded(FakeCgroupTree t, String procs) {
        Map<String, String> dirs = t.create("/jrunc/c1");
        for (String dir : dirs.values()) {
            t.write(t.root().relativize(Path.of(dir, "cgroup.procs")).toString(), procs);
        }
        return env(t).forRecorded(dirs, List.of(dirs.values().toArray(new String[0])));
    }

    @Test
    void pidsComeFromTheFirstHierarchyWithCgroupProcs() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        assertEquals(List.of(7, 8), recorded(t, "7\n8\n").pids());
        assertEquals(
                List.of(),
                env(t).forRecorded(Map.of("x", tmp.resolve("gone").toString()), List.of())
                        .pids());
    }

    @Test
    void freezeAndThawUseTheV1FreezerOnAHybridHost() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = recorded(t, "7\n");
        assertFalse(m.isFrozen());
        m.freeze();
        assertTrue(m.isFrozen());
        assertTrue(CgroupfsManagers.HOST.forRecorded(m.paths(), List.of()).isFrozen(), "what `state` reads");
        m.thaw();
        assertFalse(m.isFrozen());
        assertEquals(
                List.of("freezer/jrunc/c1/freezer.state=FROZEN", "freezer/jrunc/c1/freezer.state=THAWED"),
                t.writesUnder(""));
    }

    @Test
    void freezingCountsAsFrozen() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = recorded(t, "");
        t.write("freezer/jrunc/c1/freezer.state", "FREEZING\n");
        assertTrue(m.isFrozen());
    }

    @Test
    void freezeAndThawUseCgroupFreezeOnV2() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        CgroupManager m = recorded(t, "7\n");
        m.freeze();
        assertTrue(m.isFrozen());
        assertTrue(t.read("fs/jrunc/c1/cgroup.events").contains("frozen 1"));
        m.thaw();
        assertFalse(m.isFrozen());
        assertEquals(List.of("fs/jrunc/c1/cgroup.freeze=1", "fs/jrunc/c1/cgroup.freeze=0"), t.writesUnder(""));
    }

    @Test
    void aFreezeThatNeverCompletesIsAnError() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory");
        CgroupManager m = recorded(t, "7\n");
        t.write("fs/jrunc/c1/cgroup.events", "populated 1\n"); // a task that never stops: no "frozen 1"
        assertEquals(
                "the container's cgroup did not freeze in time",
                assertThrows(JruncException.class, m::freeze).getMessage());
    }

    @Test
    void noFreezerIsAnError() {
        FakeCgroupTree t = FakeCgroupTree.legacyV1(tmp);
        CgroupManager m = recorded(t, "7\n");
        assertFalse(m.isFrozen());
        assertEquals(
                "the container has no freezer cgroup",
                assertThrows(JruncException.class, m::freeze).getMessage());
    }

    @Test
    void sigkillOnV2UsesCgroupKill() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        CgroupManager m = recorded(t, "7\n8\n");
        Recorder r = new Recorder();
        m.killAll(SIGKILL, r);
        assertEquals(List.of(), r.sent);
        assertEquals(List.of("fs/jrunc/c1/cgroup.kill=1"), t.writesUnder(""));
        assertEquals(List.of(), m.pids());
    }

    @Test
    void sigkillWithoutCgroupKillFreezesSignalsEachAndThaws() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        CgroupManager m = recorded(t, "7\n8\n7\n");
        Files.delete(tmp.resolve("fs/jrunc/c1/cgroup.kill")); // a kernel before 5.14
        Recorder r = new Recorder();
        m.killAll(SIGKILL, r);
        assertEquals(List.of("7:9", "8:9"), r.sent);
        assertEquals(List.of("fs/jrunc/c1/cgroup.freeze=1", "fs/jrunc/c1/cgroup.freeze=0"), t.writesUnder(""));
    }

    @Test
    void otherSignalsNeverUseCgroupKill() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        CgroupManager m = recorded(t, "7\n");
        Recorder r = new Recorder();
        m.killAll(SIGTERM, r);
        assertEquals(List.of("7:15"), r.sent);
        assertEquals(List.of("fs/jrunc/c1/cgroup.freeze=1", "fs/jrunc/c1/cgroup.freeze=0"), t.writesUnder(""));
    }

    @Test
    void aPausedCgroupStaysPausedAfterASignalButNotAfterSigkill() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = recorded(t, "7\n");
        m.freeze();
        t.writes().clear();
        Recorder r = new Recorder();
        m.killAll(SIGTERM, r);
        assertEquals(List.of(), t.writes());
        assertTrue(m.isFrozen());
        // the unified directory of this hybrid host has cgroup.kill: SIGKILL takes it
        m.killAll(SIGKILL, r);
        assertEquals(List.of("unified/jrunc/c1/cgroup.kill=1"), t.writes());
        assertEquals(List.of("7:15"), r.sent);
    }

    @Test
    void sigkillOnAHybridHostWithoutCgroupKillGoesThroughTheV1Freezer() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = recorded(t, "7\n");
        Files.delete(tmp.resolve("unified/jrunc/c1/cgroup.kill"));
        m.freeze();
        t.writes().clear();
        Recorder r = new Recorder();
        m.killAll(SIGKILL, r);
        assertEquals(List.of("7:9"), r.sent);
        // it was frozen already: no second freeze, but a thaw, or the killed process would never die
        assertEquals(List.of("freezer/jrunc/c1/freezer.state=THAWED"), t.writes());
    }

    @Test
    void createThenDestroyOnAHybridHost() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        t.write("cpuset/cpuset.cpus", "0-3\n");
        t.write("cpuset/cpuset.mems", "0\n");
        ContainerCgroup cg = new ContainerCgroup(t.layout(), "pod1/c1", "c1");
        CgroupManager m = env(t).forCreate(cg);
        m.create();
        assertEquals(cg.dirs(), m.paths());
        assertTrue(m.createdDirs().contains(tmp.resolve("memory/jrunc/pod1").toString()));
        assertTrue(m.createdDirs().contains(tmp.resolve("memory/jrunc/pod1/c1").toString()));
        assertFalse(m.createdDirs().contains(tmp.resolve("memory/jrunc").toString())); // the default parent stays
        assertEquals("0-3\n", t.read("cpuset/jrunc/pod1/c1/cpuset.cpus").trim() + "\n");
        assertTrue(Files.isRegularFile(tmp.resolve("freezer/jrunc/pod1/c1/freezer.state")));

        // the state.json view of the same cgroup removes it, parents included, default parent kept
        CgroupManager later = env(t).forRecorded(m.paths(), m.createdDirs());
        later.destroy();
        for (String dir : m.createdDirs()) {
            assertFalse(Files.exists(Path.of(dir)), dir);
        }
        assertTrue(Files.isDirectory(tmp.resolve("memory/jrunc")));
    }

    /** containerd's CRI writes "slice:prefix:name" whatever the driver; cgroupfs takes it as one relative name. */
    @Test
    void aSystemdFormPathIsOneRelativeDirectory() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        t.write("cpuset/cpuset.cpus", "0-3\n");
        t.write("cpuset/cpuset.mems", "0\n");
        CgroupManager m = env(t).forCreate(new ContainerCgroup(t.layout(), "test.slice:cri-containerd:c1", "c1"));
        m.create();
        assertEquals(
                tmp.resolve("memory/jrunc/test.slice:cri-containerd:c1").toString(),
                m.paths().get("memory"));
        assertEquals(
                tmp.resolve("unified/jrunc/test.slice:cri-containerd:c1").toString(),
                m.paths().get("unified"));
        assertTrue(Files.isDirectory(tmp.resolve("pids/jrunc/test.slice:cri-containerd:c1")));
    }

    @Test
    void destroyKeepsAParentAnotherContainerStillUses() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        CgroupManager c1 = env(t).forCreate(new ContainerCgroup(t.layout(), "pod1/c1", "c1"));
        c1.create();
        CgroupManager c2 = env(t).forCreate(new ContainerCgroup(t.layout(), "pod1/c2", "c2"));
        c2.create();
        c1.destroy();
        assertFalse(Files.exists(tmp.resolve("fs/jrunc/pod1/c1")));
        assertTrue(Files.isDirectory(tmp.resolve("fs/jrunc/pod1")));
        c2.destroy();
        assertFalse(Files.exists(tmp.resolve("fs/jrunc/pod1")));
        assertEquals(List.of("fs/jrunc/pod1/c1", "fs/jrunc/pod1/c2", "fs/jrunc/pod1"), t.removed());
    }

    @Test
    void destroyFailsWhileAProcessStaysInTheCgroup() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory");
        CgroupManager m = recorded(t, "7\n");
        String dir = tmp.resolve("fs/jrunc/c1").toString();
        assertEquals(
                "cannot remove cgroup " + dir + ": " + Errno.describe(Errno.EBUSY),
                assertThrows(JruncException.class, m::destroy).getMessage());
    }

    @Test
    void aRecordedCgroupIsNotCreatedAgain() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory");
        assertThrows(IllegalStateException.class, () -> recorded(t, "").create());
    }

    @Test
    void applyAndUpdateWriteTheResourcesWithTheirOrigins() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager created = env(t).forCreate(new ContainerCgroup(t.layout(), "c1", "c1"));
        t.create("/jrunc/c1");
        created.apply(Res.of().pids(10).build());
        assertEquals(List.of("pids/jrunc/c1/pids.max=10"), t.writesUnder(""));
        CgroupManager later = env(t).forRecorded(created.paths(), created.createdDirs());
        later.update(Res.of().pids(-1).build());
        assertEquals("pids/jrunc/c1/pids.max=max", t.writes().get(1));
        assertEquals(
                "update: field linux.resources.pids.limit: -3 is not a valid limit (-1 for unlimited)",
                assertThrows(
                                RuntimeException.class,
                                () -> later.update(Res.of().pids(-3).build()))
                        .getMessage());
    }

    @Test
    void statsAndOomCountsReadTheRecordedDirectories() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        CgroupManager m = recorded(t, "7\n");
        t.write("pids/jrunc/c1/pids.current", "3\n");
        t.write("memory/jrunc/c1/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        assertEquals(Map.of("current", 3L), m.stats().get("pids"));
        assertEquals(2, m.watchOom().count());
    }
}
