package org.jrunc.cgroups.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.FakeCgroupTree;
import org.jrunc.cgroups.Res;
import org.jrunc.config.BlockIo;
import org.jrunc.config.ConfigException;
import org.jrunc.config.CpuResources;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.InterfacePriority;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.NetworkResources;
import org.jrunc.config.RdmaLimit;
import org.jrunc.config.ThrottleDevice;
import org.jrunc.config.WeightDevice;
import org.jrunc.sys.Errno;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every field on a hybrid host (v1 controllers, hugetlb on the unified hierarchy) and on a legacy v1 host. */
class V1MappingTest {
    @TempDir
    Path tmp;

    FakeCgroupTree tree;
    FakeCgroupTree.RecordingInstaller bpf = new FakeCgroupTree.RecordingInstaller();

    @BeforeEach
    void hybrid() {
        tree = FakeCgroupTree.hybrid(tmp);
        tree.create("/jrunc/c1");
    }

    private List<String> apply(Res r, boolean update) {
        return apply(tree, r, update);
    }

    private List<String> apply(FakeCgroupTree t, Res r, boolean update) {
        return new CgroupResources(t, bpf, List.of("2MB", "1GB"), "config.json")
                .apply(t.layout(), t.dirs("/jrunc/c1"), r.build(), update);
    }

    @Test
    void memoryOnCreateSetsTheLimitBeforeMemsw() {
        MemoryResources m =
                new MemoryResources(100L << 20, 50L << 20, 200L << 20, 64L << 20, null, 10L, true, null, null);
        List<String> warnings = apply(Res.of().memory(m), false);
        assertEquals(
                List.of(
                        "memory.limit_in_bytes=104857600",
                        "memory.memsw.limit_in_bytes=209715200",
                        "memory.soft_limit_in_bytes=52428800",
                        "memory.oom_control=1",
                        "memory.swappiness=10"),
                tree.writesUnder("memory/jrunc/c1/"));
        assertEquals(
                List.of("linux.resources.memory.kernel is ignored: kernel memory limits are deprecated and not "
                        + "supported"),
                warnings);
    }

    @Test
    void raisingWritesMemswFirstAndLoweringWritesTheLimitFirst() {
        tree.write("memory/jrunc/c1/memory.limit_in_bytes", "104857600\n");
        tree.write("memory/jrunc/c1/memory.memsw.limit_in_bytes", "209715200\n");
        apply(Res.of().memory(300L << 20, null, 400L << 20), true);
        assertEquals(
                List.of("memory.memsw.limit_in_bytes=419430400", "memory.limit_in_bytes=314572800"),
                tree.writesUnder("memory/jrunc/c1/"));
        tree.writes().clear();
        apply(Res.of().memory(50L << 20, null, 80L << 20), true);
        assertEquals(
                List.of("memory.limit_in_bytes=52428800", "memory.memsw.limit_in_bytes=83886080"),
                tree.writesUnder("memory/jrunc/c1/"));
    }

    @Test
    void unlimitedMemoryLiftsMemswFirst() {
        apply(Res.of().memory(-1L, null, null), false);
        assertEquals(
                List.of("memory.memsw.limit_in_bytes=-1", "memory.limit_in_bytes=-1"),
                tree.writesUnder("memory/jrunc/c1/"));
    }

    @Test
    void refusedLimitsAreExplained() {
        tree.write("memory/jrunc/c1/memory.memsw.limit_in_bytes", "209715200\n");
        tree.failWrite("memory/jrunc/c1/memory.limit_in_bytes", null, Errno.EINVAL, 1);
        String dir = tree.root().resolve("memory/jrunc/c1").toString();
        assertEquals(
                "linux.resources.memory.limit: 314572800 is above the current memory+swap limit 209715200 of " + dir
                        + "; set linux.resources.memory.swap as well",
                assertThrows(JruncException.class, () -> apply(Res.of().memory(300L << 20, null, null), true))
                        .getMessage());
        tree.write("memory/jrunc/c1/memory.usage_in_bytes", "5000000\n");
        tree.write("memory/jrunc/c1/memory.max_usage_in_bytes", "6000000\n");
        tree.failWrite("memory/jrunc/c1/memory.limit_in_bytes", null, Errno.EBUSY, 1);
        assertEquals(
                "linux.resources.memory.limit: cannot set 1048576 on " + dir + ": the current usage is 5000000 "
                        + "(peak 6000000)",
                assertThrows(JruncException.class, () -> apply(Res.of().memory(1L << 20, null, null), true))
                        .getMessage());
    }

    @Test
    void checkBeforeUpdateRefusesALimitBelowUsage() {
        tree.write("memory/jrunc/c1/memory.usage_in_bytes", "5000\n");
        MemoryResources m = new MemoryResources(4000L, null, null, null, null, null, null, null, true);
        assertEquals(
                "config.json: field linux.resources.memory.limit: 4000 is not above the current memory usage 5000"
                        + " (checkBeforeUpdate)",
                assertThrows(JruncException.class, () -> apply(Res.of().memory(m), true))
                        .getMessage());
        assertEquals(List.of(), tree.writes());
        apply(Res.of().memory(m), false); // create: no check, the kernel decides
        assertEquals(List.of("memory.limit_in_bytes=4000"), tree.writesUnder("memory/jrunc/c1/"));
    }

    @Test
    void cpuInRuncsOrder() {
        apply(Res.of().cpu(new CpuResources(512L, 50000L, 10000L, 100000L, 950000L, 1000000L, null, null, 1L)), false);
        assertEquals(
                List.of(
                        "cpu.shares=512",
                        "cpu.cfs_period_us=100000",
                        "cpu.cfs_burst_us=10000",
                        "cpu.cfs_quota_us=50000",
                        "cpu.idle=1",
                        "cpu.rt_period_us=1000000",
                        "cpu.rt_runtime_us=950000"),
                tree.writesUnder("cpu/jrunc/c1/"));
    }

    @Test
    void aRefusedPeriodIsRetriedAfterTheQuota() {
        tree.failWrite("cpu/jrunc/c1/cpu.cfs_period_us", null, Errno.EINVAL, 1);
        tree.failWrite("cpu/jrunc/c1/cpu.rt_period_us", null, Errno.EINVAL, 1);
        apply(Res.of().cpu(new CpuResources(null, -1L, null, 20000L, 5000L, 10000L, null, null, null)), true);
        assertEquals(
                List.of(
                        "cpu.cfs_quota_us=-1",
                        "cpu.cfs_period_us=20000",
                        "cpu.rt_runtime_us=5000",
                        "cpu.rt_period_us=10000"),
                tree.writesUnder("cpu/jrunc/c1/"));
        // without a quota to write there is nothing to retry after
        tree.failWrite("cpu/jrunc/c1/cpu.cfs_period_us", null, Errno.EINVAL, 1);
        assertEquals(
                "linux.resources.cpu.period: cannot write \"20000\" to " + tmp.resolve("cpu/jrunc/c1")
                        + "/cpu.cfs_period_us: invalid argument",
                assertThrows(JruncException.class, () -> apply(Res.of().cpu(null, null, null, 20000L), true))
                        .getMessage());
    }

    @Test
    void sharesTheKernelClampsAreAnError() {
        tree.storeAs("cpu.shares", v -> Long.parseLong(v) > 262144 ? "262144" : v);
        assertEquals(
                "linux.resources.cpu.shares: 300000 is out of range: the kernel allows at most 262144",
                assertThrows(JruncException.class, () -> apply(Res.of().cpu(300000L, null, null, null), false))
                        .getMessage());
    }

    @Test
    void cpusetAndPids() {
        apply(
                Res.of()
                        .cpu(new CpuResources(null, null, null, null, null, null, "0-1", "0", null))
                        .pids(10),
                false);
        assertEquals(List.of("cpuset.cpus=0-1", "cpuset.mems=0"), tree.writesUnder("cpuset/jrunc/c1/"));
        assertEquals(List.of("pids.max=10"), tree.writesUnder("pids/jrunc/c1/"));
        tree.writes().clear();
        apply(Res.of().pids(-1), true);
        apply(Res.of().pids(0), true);
        assertEquals(List.of("pids.max=max", "pids.max=0"), tree.writesUnder("pids/jrunc/c1/"));
    }

    @Test
    void blockIoUsesBfqWhenCfqIsGone() {
        BlockIo b = new BlockIo(
                500,
                300,
                List.of(new WeightDevice(8L, 0L, 200, 100)),
                List.of(new ThrottleDevice(8L, 0L, 1048576L)),
                List.of(new ThrottleDevice(8L, 16L, -1L)),
                List.of(new ThrottleDevice(8L, 0L, 100L)),
                List.of(new ThrottleDevice(8L, 0L, 50L)));
        List<String> warnings = apply(Res.of().blockIO(b), false);
        assertEquals(
                List.of(
                        "blkio.bfq.weight=500",
                        "blkio.bfq.weight_device=8:0 200",
                        "blkio.throttle.read_bps_device=8:0 1048576",
                        "blkio.throttle.write_bps_device=8:16 0",
                        "blkio.throttle.read_iops_device=8:0 100",
                        "blkio.throttle.write_iops_device=8:0 50"),
                tree.writesUnder("blkio/jrunc/c1/"));
        String where = " is ignored: this kernel has no ";
        assertEquals(
                List.of(
                        "linux.resources.blockIO.leafWeight" + where + "blkio.leaf_weight (CFQ is gone)",
                        "linux.resources.blockIO.weightDevice[0].leafWeight" + where
                                + "blkio.leaf_weight_device (CFQ is gone)"),
                warnings);
    }

    @Test
    void hugetlbGoesToTheUnifiedHierarchyOfAHybridHost() {
        apply(Res.of().hugepages(new HugepageLimit("2MB", 4L << 20), new HugepageLimit("1GB", -1L)), false);
        assertEquals(
                List.of(
                        "unified/cgroup.subtree_control=+hugetlb",
                        "unified/jrunc/cgroup.subtree_control=+hugetlb",
                        "unified/jrunc/c1/hugetlb.2MB.max=4194304",
                        "unified/jrunc/c1/hugetlb.2MB.rsvd.max=4194304",
                        "unified/jrunc/c1/hugetlb.1GB.max=max",
                        "unified/jrunc/c1/hugetlb.1GB.rsvd.max=max"),
                tree.writes());
        // enabled already: no second write
        tree.writes().clear();
        apply(Res.of().hugepages(new HugepageLimit("2MB", 2L << 20)), true);
        assertEquals(
                List.of("unified/jrunc/c1/hugetlb.2MB.max=2097152", "unified/jrunc/c1/hugetlb.2MB.rsvd.max=2097152"),
                tree.writes());
    }

    @Test
    void unifiedIsRefusedOnAHybridHostAsRuncDoes() {
        String m = assertThrows(
                        ConfigException.class,
                        () -> apply(Res.of().unified(Map.of("hugetlb.2MB.max", "1048576")), false))
                .getMessage();
        assertEquals(
                "config.json: field linux.resources.unified: cannot use unified on cgroup v1 (this host mounts v1 "
                        + "controllers next to its cgroup v2 hierarchy)",
                m);
        assertEquals(List.of(), tree.writes());
    }

    @Test
    void devicesStartFromDenyAll() {
        apply(
                Res.of()
                        .devices(
                                Res.rule(false, null, null, null, "rwm"),
                                Res.rule(true, "c", 1L, 3L, "rwm"),
                                Res.rule(true, "c", 136L, null, "rwm"),
                                Res.rule(true, "b", -1L, -1L, "m")),
                false);
        assertEquals(
                List.of(
                        "devices.deny=a *:* rwm",
                        "devices.allow=b *:* m",
                        "devices.allow=c 1:3 rwm",
                        "devices.allow=c 136:* rwm"),
                tree.writesUnder("devices/jrunc/c1/"));
        assertEquals(List.of(), bpf.dirs, "v1 devices, no eBPF");
        // an update from what the cgroup lists now writes only the difference
        tree.write("devices/jrunc/c1/devices.list", "b *:* m\nc 1:3 rwm\nc 136:* rwm\n");
        tree.writes().clear();
        apply(
                Res.of()
                        .devices(
                                Res.rule(false, null, null, null, "rwm"),
                                Res.rule(true, "c", 1L, 3L, "rwm"),
                                Res.rule(true, "c", 1L, 5L, "rwm")),
                true);
        assertEquals(
                List.of("devices.deny=b *:* m", "devices.deny=c 136:* rwm", "devices.allow=c 1:5 rwm"),
                tree.writesUnder("devices/jrunc/c1/"));
    }

    @Test
    void networkAndRdmaOnALegacyHost() {
        FakeCgroupTree v1 = FakeCgroupTree.legacyV1(tmp.resolve("legacy"));
        v1.create("/jrunc/c1");
        apply(
                v1,
                Res.of()
                        .network(new NetworkResources(
                                0x100001L, List.of(new InterfacePriority("eth0", 5L), new InterfacePriority("lo", 2L))))
                        .rdma(Map.of("mlx4_0", new RdmaLimit(2L, 2000L))),
                false);
        assertEquals(
                List.of("net_cls.classid=1048577", "net_prio.ifpriomap=eth0 5", "net_prio.ifpriomap=lo 2"),
                v1.writesUnder("net_cls,net_prio/jrunc/c1/"));
        assertEquals(List.of("rdma.max=mlx4_0 hca_handle=2 hca_object=2000"), v1.writesUnder("rdma/jrunc/c1/"));
    }

    @Test
    void aMissingControllerIsAnErrorBeforeAnyWrite() {
        String m = assertThrows(
                        ConfigException.class,
                        () -> apply(Res.of().pids(5).network(new NetworkResources(1L, null)), false))
                .getMessage();
        assertTrue(m.startsWith("config.json: field linux.resources.network.classID: the net_cls"), m);
        assertEquals(List.of(), tree.writes());
    }
}
