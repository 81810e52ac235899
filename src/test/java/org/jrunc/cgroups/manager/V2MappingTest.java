package org.jrunc.cgroups.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.cgroups.DeviceAccessRule;
import org.jrunc.cgroups.FakeCgroupTree;
import org.jrunc.cgroups.Res;
import org.jrunc.cgroups.v2.DeviceFilter;
import org.jrunc.cgroups.v2.DeviceFilterTest;
import org.jrunc.config.BlockIo;
import org.jrunc.config.ConfigException;
import org.jrunc.config.CpuResources;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.RdmaLimit;
import org.jrunc.config.ThrottleDevice;
import org.jrunc.config.WeightDevice;
import org.jrunc.sys.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field on a pure cgroup v2 host. */
class V2MappingTest {
    private static final String ALL = "cpuset cpu io memory hugetlb pids rdma";

    @TempDir
    Path tmp;

    FakeCgroupTree tree;
    FakeCgroupTree.RecordingInstaller bpf = new FakeCgroupTree.RecordingInstaller();

    @BeforeEach
    void pureV2() {
        tree = FakeCgroupTree.pureV2(tmp, ALL);
        tree.create("/jrunc/c1");
    }

    private List<String> apply(Res r, boolean update) {
        return new CgroupResources(tree, bpf, List.of("2MB", "1GB"), "config.json")
                .apply(tree.layout(), tree.dirs("/jrunc/c1"), r.build(), update);
    }

    /** The container's own writes, after controller enabling. */
    private List<String> own() {
        return tree.writesUnder("fs/jrunc/c1/");
    }

    @Test
    void enablesEveryAvailableControllerFromTheRootDown() {
        apply(Res.of().pids(5), false);
        List<String> enable = tree.writes().stream()
                .filter(w -> w.contains("subtree_control"))
                .toList();
        assertEquals(14, enable.size());
        assertEquals("fs/cgroup.subtree_control=+pids", enable.get(0)); // what the resources need comes first
        assertEquals("fs/jrunc/cgroup.subtree_control=+rdma", enable.get(13));
        assertEquals(
                Set.of(ALL.split(" ")),
                Set.of(tree.read("fs/jrunc/c1/cgroup.controllers").trim().split(" ")));
        tree.writes().clear();
        apply(Res.of().pids(6), true);
        assertEquals(List.of("fs/jrunc/c1/pids.max=6"), tree.writes());
    }

    @Test
    void aNeededControllerThatCannotBeEnabledIsAnError() {
        tree.failWrite("fs/jrunc/cgroup.subtree_control", "+memory", Errno.EBUSY, 1);
        tree.failWrite("fs/jrunc/cgroup.subtree_control", "+rdma", Errno.EBUSY, 1); // not needed: tolerated
        Path fs = tmp.resolve("fs");
        assertEquals(
                "cannot enable the cgroup v2 controller \"memory\" for " + fs.resolve("jrunc/c1") + ": writing "
                        + "\"+memory\" to " + fs.resolve("jrunc/cgroup.subtree_control") + ": device or resource busy",
                assertThrows(JruncException.class, () -> apply(Res.of().memory(1L << 20, null, null), false))
                        .getMessage());
    }

    @Test
    void memory() {
        List<String> warnings = apply(
                Res.of()
                        .memory(new MemoryResources(
                                100L << 20, 50L << 20, 300L << 20, null, null, 10L, true, null, null)),
                false);
        assertEquals(List.of("memory.swap.max=209715200", "memory.max=104857600", "memory.low=52428800"), own());
        assertEquals(2, warnings.size()); // swappiness and disableOOMKiller
        tree.writes().clear();
        apply(Res.of().memory(-1L, -1L, null), true);
        assertEquals(List.of("memory.swap.max=max", "memory.max=max", "memory.low=max"), own());
        tree.writes().clear();
        apply(Res.of().memory(200L, null, 200L), true);
        assertEquals(List.of("memory.swap.max=0", "memory.max=200"), own());
    }

    @Test
    void anUpdateOfSwapAloneUsesTheCurrentLimit() {
        tree.write("fs/jrunc/c1/memory.max", "1000\n");
        apply(Res.of().memory(null, null, 1500L), true);
        assertEquals(List.of("memory.swap.max=500"), own());
        tree.writes().clear();
        tree.write("fs/jrunc/c1/memory.max", "2000\n");
        assertEquals(
                "linux.resources.memory.swap: 1500 is below linux.resources.memory.limit 2000 (swap is the "
                        + "memory+swap limit)",
                assertThrows(JruncException.class, () -> apply(Res.of().memory(null, null, 1500L), true))
                        .getMessage());
    }

    @Test
    void checkBeforeUpdateReadsMemoryCurrent() {
        apply(Res.of().pids(1), false); // enables memory
        tree.write("fs/jrunc/c1/memory.current", "5000\n");
        MemoryResources m = new MemoryResources(4000L, null, 5000L, null, null, null, null, null, true);
        assertEquals(
                "config.json: field linux.resources.memory.swap: 5000 is not above the current memory usage 5000"
                        + " (checkBeforeUpdate)",
                assertThrows(JruncException.class, () -> apply(Res.of().memory(m), true))
                        .getMessage());
    }

    @Test
    void cpu() {
        apply(Res.of().cpu(new CpuResources(1024L, 50000L, 1000L, 200000L, null, null, null, null, 0L)), false);
        assertEquals(List.of("cpu.idle=0", "cpu.weight=100", "cpu.max.burst=1000", "cpu.max=50000 200000"), own());
    }

    @Test
    void cpuMaxKeepsWhatAnUpdateLeavesOut() {
        apply(Res.of().cpu(null, 30000L, null, null), false);
        assertEquals(List.of("cpu.max=30000 100000"), own());
        tree.writes().clear();
        apply(Res.of().cpu(null, null, null, 50000L), true);
        assertEquals(List.of("cpu.max=30000 50000"), own());
        tree.writes().clear();
        apply(Res.of().cpu(null, -1L, null, null), true);
        assertEquals(List.of("cpu.max=max 50000"), own());
    }

    @Test
    void aRefusedBurstIsRetriedAfterCpuMax() {
        tree.failWrite("fs/jrunc/c1/cpu.max.burst", null, Errno.EINVAL, 1);
        apply(Res.of().cpu(null, 20000L, 10000L, null), false);
        assertEquals(List.of("cpu.max=20000 100000", "cpu.max.burst=10000"), own());
    }

    @Test
    void ioWeightIsConvertedWithoutBfq() {
        BlockIo b = new BlockIo(
                500,
                null,
                List.of(new WeightDevice(8L, 0L, 1000, null)),
                List.of(new ThrottleDevice(8L, 0L, 1048576L)),
                null,
                null,
                List.of(new ThrottleDevice(8L, 16L, 0L)));
        apply(Res.of().blockIO(b), false);
        assertEquals(
                List.of("io.weight=4950", "io.weight=8:0 10000", "io.max=8:0 rbps=1048576", "io.max=8:16 wiops=max"),
                own());
    }

    @Test
    void ioWeightGoesToBfqUnconverted() {
        tree.write("fs/jrunc/c1/io.bfq.weight", "default 100\n");
        apply(
                Res.of()
                        .blockIO(new BlockIo(
                                500,
                                null,
                                List.of(new WeightDevice(8L, 0L, 300, null)),
                                null,
                                null,
                                List.of(new ThrottleDevice(8L, 0L, 10L)),
                                null)),
                false);
        assertEquals(List.of("io.bfq.weight=500", "io.bfq.weight=8:0 300", "io.max=8:0 riops=10"), own());
    }

    @Test
    void hugetlbPidsCpusetRdma() {
        apply(
                Res.of()
                        .hugepages(new HugepageLimit("2MB", 8L << 20), new HugepageLimit("1GB", -1L))
                        .pids(-1)
                        .cpu(new CpuResources(null, null, null, null, null, null, "1", "0", null))
                        .rdma(Map.of("mlx5_1", new RdmaLimit(3L, null))),
                false);
        assertEquals(
                List.of(
                        "cpuset.cpus=1",
                        "cpuset.mems=0",
                        "pids.max=max",
                        "hugetlb.2MB.max=8388608",
                        "hugetlb.2MB.rsvd.max=8388608",
                        "hugetlb.1GB.max=max",
                        "hugetlb.1GB.rsvd.max=max",
                        "rdma.max=mlx5_1 hca_handle=3"),
                own());
    }

    @Test
    void devicesBecomeAnEbpfProgramOnTheUnifiedDirectory() {
        apply(Res.of().devices(Res.rule(false, null, null, null, "rwm"), Res.rule(true, "c", 1L, 3L, "rwm")), false);
        assertEquals(List.of(tmp.resolve("fs/jrunc/c1").toString()), bpf.dirs);
        DeviceFilter.Program p = bpf.programs.get(0);
        assertEquals(1, DeviceFilterTest.run(p, 2, DeviceAccessRule.READ, 1, 3));
        assertEquals(0, DeviceFilterTest.run(p, 2, DeviceAccessRule.READ, 1, 5));
    }

    @Test
    void unifiedIsWrittenLastAndLineByLine() {
        Map<String, String> u = new LinkedHashMap<>();
        u.put("io.max", "8:0 rbps=2097152 wiops=120\n8:16 rbps=2097152 wiops=120");
        u.put("memory.max", "4096");
        apply(Res.of().memory(8192L, null, null).unified(u), false);
        assertEquals(
                List.of(
                        "memory.max=8192",
                        "io.max=8:0 rbps=2097152 wiops=120",
                        "io.max=8:16 rbps=2097152 wiops=120",
                        "memory.max=4096"),
                own());
    }

    @Test
    void kernelRefusalsNameFieldValueAndFile() {
        tree.failWrite("fs/jrunc/c1/memory.max", null, Errno.EINVAL, 1);
        String m = assertThrows(JruncException.class, () -> apply(Res.of().memory(100L, null, null), false))
                .getMessage();
        assertEquals(
                "linux.resources.memory.limit: cannot write \"100\" to " + tmp.resolve("fs/jrunc/c1/memory.max")
                        + ": invalid argument",
                m);
    }

    @Test
    void realtimeAndNetworkAreRefusedBeforeAnyWrite() {
        assertThrows(
                ConfigException.class,
                () -> apply(
                        Res.of().pids(3).cpu(new CpuResources(null, null, null, null, null, 100L, null, null, null)),
                        false));
        assertTrue(tree.writes().isEmpty());
    }
}
