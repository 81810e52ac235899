package org.jrunc.cgroups.systemd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.FakeCgroupTree;
import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Resources;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The systemd driver's manager against a recording bus that plays systemd on a fake cgroup tree. */
class SystemdCgroupManagerTest {
    private static final Set<String> HYBRID_SYSTEMD =
            Set.of("unified", "name=systemd", "memory", "cpu", "cpuacct", "cpu,cpuacct", "pids", "blkio", "devices");

    @TempDir
    Path tmp;

    private static SystemdCgroupManagers env(FakeCgroupTree t, RecordingBus bus) {
        return new SystemdCgroupManagers(
                new CgroupfsManagers(t.layout(), t, new FakeCgroupTree.RecordingInstaller(), List.of("2MB")),
                t.layout(),
                t,
                bus,
                Path.of("/nonexistent/proc-devices"));
    }

    private static CgroupManager forCreate(FakeCgroupTree t, RecordingBus bus, SystemdUnit u) {
        return env(t, bus).forCreateUnit(new ContainerCgroup(t.layout(), u.cgroupPath(), "c1"), u.slice(), u.name());
    }

    private static Resources limits(long memory, long pids) {
        return ResourcePropertiesTest.resources(ResourcePropertiesTest.memory(memory, null, null), null, pids, null);
    }

    @Test
    void aScopeIsStartedAroundTheInitWithItsResourcesThenTheFilesAreWritten() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "cpu memory pids");
        RecordingBus bus = new RecordingBus(t, Set.of("unified"));
        SystemdUnit u = SystemdUnit.of("test.slice:cri:c1", "c1");
        CgroupManager m = forCreate(t, bus, u);
        assertTrue(m.madeAroundProcess());
        assertThrows(IllegalStateException.class, m::create);

        m.createAround(4242, limits(64L << 20, 50));

        assertEquals(List.of("start cri-c1.scope"), bus.calls);
        assertEquals(
                List.of(
                        "Description",
                        "Slice",
                        "Delegate",
                        "PIDs",
                        "DefaultDependencies",
                        "MemoryAccounting",
                        "CPUAccounting",
                        "IOAccounting",
                        "TasksAccounting",
                        "MemoryMax",
                        "TasksMax"),
                bus.names(0));
        assertEquals("test.slice", bus.value(0, "Slice"));
        assertEquals(true, bus.value(0, "Delegate"));
        assertEquals(List.of(4242), bus.value(0, "PIDs"));
        assertEquals(64L << 20, bus.value(0, "MemoryMax"));
        assertEquals(bus.opened, bus.closed, "every connection closed");
        assertEquals(
                Long.toString(64L << 20),
                t.read("fs/test.slice/cri-c1.scope/memory.max").trim());
        assertEquals("50", t.read("fs/test.slice/cri-c1.scope/pids.max").trim());
        assertEquals(Map.of("unified", tmp.resolve("fs/test.slice/cri-c1.scope").toString()), m.paths());
        assertEquals(List.of(), m.createdDirs(), "systemd made the only directory, and removes it");
    }

    @Test
    void onAHybridHostJruncMakesAndJoinsTheHierarchiesSystemdLeavesAlone() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        t.write("cpuset/cpuset.cpus", "0-3\n");
        t.write("cpuset/cpuset.mems", "0\n");
        RecordingBus bus = new RecordingBus(t, HYBRID_SYSTEMD);
        CgroupManager m = forCreate(t, bus, SystemdUnit.of(null, "c1"));

        m.createAround(77, limits(32L << 20, 10));

        assertTrue(bus.names(0).contains("MemoryLimit"), "v1's name: " + bus.names(0));
        assertTrue(bus.names(0).contains("BlockIOAccounting"));
        assertEquals(
                Long.toString(32L << 20),
                t.read("memory/system.slice/jrunc-c1.scope/memory.limit_in_bytes")
                        .trim());
        for (String h : List.of("freezer", "cpuset")) {
            String dir = tmp.resolve(h + "/system.slice/jrunc-c1.scope").toString();
            assertTrue(m.createdDirs().contains(dir), h + " is jrunc's to make: " + m.createdDirs());
            assertEquals(
                    "77",
                    t.read(h + "/system.slice/jrunc-c1.scope/cgroup.procs").trim(),
                    h);
        }
        assertEquals(
                "0-3", t.read("cpuset/system.slice/jrunc-c1.scope/cpuset.cpus").trim());
        assertFalse(m.createdDirs()
                .contains(tmp.resolve("memory/system.slice/jrunc-c1.scope").toString()));

        // delete: the unit is stopped through systemd, then jrunc's own directories go
        for (String h : List.of("freezer", "cpuset", "net_cls,net_prio", "perf_event", "hugetlb")) {
            Path procs = tmp.resolve(h + "/system.slice/jrunc-c1.scope/cgroup.procs");
            if (Files.exists(procs)) {
                t.write(tmp.relativize(procs).toString(), "");
            }
        }
        CgroupManager later = env(t, bus).forRecordedUnit("jrunc-c1.scope", m.paths(), m.createdDirs());
        later.destroy();
        assertEquals(List.of("start jrunc-c1.scope", "stop jrunc-c1.scope", "reset-failed jrunc-c1.scope"), bus.calls);
        for (String dir : m.createdDirs()) {
            assertFalse(Files.exists(Path.of(dir)), dir);
        }
    }

    @Test
    void updateSetsTheUnitsPropertiesThenTheFiles() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "cpu memory pids");
        RecordingBus bus = new RecordingBus(t, Set.of("unified"));
        CgroupManager m = forCreate(t, bus, SystemdUnit.of(null, "c1"));
        m.createAround(5, limits(64L << 20, 50));
        CgroupManager later = env(t, bus).forRecordedUnit("jrunc-c1.scope", m.paths(), m.createdDirs());

        later.update(ResourcePropertiesTest.resources(
                ResourcePropertiesTest.memory(128L << 20, null, null), null, null, null));

        assertEquals("set jrunc-c1.scope", bus.calls.get(1));
        assertEquals(List.of("MemoryMax"), bus.names(1));
        assertEquals(
                Long.toString(128L << 20),
                t.read("fs/system.slice/jrunc-c1.scope/memory.max").trim());
        assertEquals("50", t.read("fs/system.slice/jrunc-c1.scope/pids.max").trim(), "unset fields stay");
    }

    @Test
    void anUpdateTheFilesRefuseNeverReachesSystemd() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        RecordingBus bus = new RecordingBus(t, Set.of("unified"));
        CgroupManager m = forCreate(t, bus, SystemdUnit.of(null, "c1"));
        m.createAround(5, null);
        CgroupManager later = env(t, bus).forRecordedUnit("jrunc-c1.scope", m.paths(), m.createdDirs());
        Resources cpu = ResourcePropertiesTest.resources(
                null, ResourcePropertiesTest.cpu(512L, null, null, null, null), null, null);
        assertThrows(ConfigException.class, () -> later.update(cpu), "no cpu controller here");
        assertEquals(List.of("start jrunc-c1.scope"), bus.calls);
    }

    @Test
    void aFailedStartIsStoppedAndResetOnUndoAndOneThatNeverStartedIsNotAsked() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        RecordingBus bus = new RecordingBus(t, Set.of("unified"));
        CgroupManager never = forCreate(t, bus, SystemdUnit.of(null, "c0"));
        never.destroy();
        assertEquals(0, bus.opened, "no unit was asked for: systemd is not bothered");

        CgroupManager m = forCreate(t, bus, SystemdUnit.of(null, "c1"));
        bus.failing = "start";
        JruncException e = assertThrows(JruncException.class, () -> m.createAround(5, null));
        assertTrue(e.getMessage().contains("jrunc-c1.scope"), e.getMessage());
        m.destroy();
        assertEquals(List.of("start jrunc-c1.scope", "stop jrunc-c1.scope", "reset-failed jrunc-c1.scope"), bus.calls);
        assertEquals(bus.opened, bus.closed);
    }

    @Test
    void aSliceUnitWantsItsParentAndHoldsTheProcessThroughItsFiles() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        RecordingBus bus = new RecordingBus(t, Set.of());
        SystemdUnit u = SystemdUnit.of("system.slice:x:pod-a.slice", "c1");
        CgroupManager m = forCreate(t, bus, u);
        m.createAround(9, null);
        assertTrue(bus.names(0).contains("Wants"), bus.names(0).toString());
        assertFalse(bus.names(0).contains("PIDs"));
        assertFalse(bus.names(0).contains("Delegate"));
        assertEquals(List.of("system.slice"), bus.value(0, "Wants"));
        assertEquals("9", t.read("fs/pod.slice/pod-a.slice/cgroup.procs").trim());
    }

    @Test
    void aUnitThatStoppedByItselfIsNoErrorButOneStillThereIs() throws Exception {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory pids");
        RecordingBus bus = new RecordingBus(t, Set.of("unified"));
        CgroupManager m = forCreate(t, bus, SystemdUnit.of(null, "c1"));
        m.createAround(5, null);
        bus.failing = "stop";
        assertThrows(JruncException.class, m::destroy, "its directory is still there");
        t.write("fs/system.slice/jrunc-c1.scope/cgroup.procs", "");
        t.removeDir(tmp.resolve("fs/system.slice/jrunc-c1.scope")); // as systemd does when the scope empties
        bus.failing = "stop";
        m.destroy();
    }

    @Test
    void theCgroupfsFactoryRefusesAUnitInOneLine() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "memory");
        CgroupfsManagers cgroupfs = new CgroupfsManagers(t.layout(), t, null, List.of());
        JruncException e = assertThrows(
                JruncException.class, () -> cgroupfs.forRecordedUnit("jrunc-c1.scope", Map.of(), List.of()));
        assertTrue(e.getMessage().contains("jrunc-c1.scope"), e.getMessage());
    }
}
