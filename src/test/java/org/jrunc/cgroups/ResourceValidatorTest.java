package org.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.config.BlockIo;
import org.jrunc.config.ConfigException;
import org.jrunc.config.CpuResources;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.InterfacePriority;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.NetworkResources;
import org.jrunc.config.RdmaLimit;
import org.jrunc.config.Resources;
import org.jrunc.config.ThrottleDevice;
import org.jrunc.config.WeightDevice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Validation before anything is created: one-line errors naming field and value, and warnings. */
class ResourceValidatorTest {
    @TempDir
    Path tmp;

    private static List<String> validate(FakeCgroupTree t, Resources r, boolean update) {
        return validate(t, "/jrunc/c1", r, update, List.of("2MB", "1GB"), "config.json");
    }

    private static List<String> validate(
            FakeCgroupTree t, String path, Resources r, boolean update, List<String> hugePageSizes, String origin) {
        return new ResourceValidator(
                        origin, ControllerPlacement.forApply(t.layout(), t.dirs(path), t), hugePageSizes, update)
                .validate(r);
    }

    private static String error(FakeCgroupTree t, Res r) {
        String m = assertThrows(ConfigException.class, () -> validate(t, r.build(), false))
                .getMessage();
        assertFalse(m.contains("\n"), m);
        return m;
    }

    private FakeCgroupTree hybrid() {
        return FakeCgroupTree.hybrid(tmp.resolve("h"));
    }

    private FakeCgroupTree v2() {
        return FakeCgroupTree.pureV2(tmp.resolve("v2"), "cpuset cpu io memory hugetlb pids");
    }

    private FakeCgroupTree v1() {
        return FakeCgroupTree.legacyV1(tmp.resolve("v1"));
    }

    @Test
    void memoryLimits() {
        assertEquals(
                "config.json: field linux.resources.memory.limit: -5 is not a valid limit",
                error(hybrid(), Res.of().memory(-5L, null, null)));
        assertEquals(
                "config.json: field linux.resources.memory.reservation: -2 is not a valid limit",
                error(v2(), Res.of().memory(null, -2L, null)));
        assertEquals(
                "config.json: field linux.resources.memory.swap: 100 is below linux.resources.memory.limit 200 "
                        + "(swap is the memory+swap limit)",
                error(v2(), Res.of().memory(200L, null, 100L)));
        assertEquals(
                "config.json: field linux.resources.memory.swap: 100 needs linux.resources.memory.limit (swap is "
                        + "the memory+swap limit)",
                error(hybrid(), Res.of().memory(null, null, 100L)));
        assertEquals(
                "config.json: field linux.resources.memory.swap: 100 cannot be finite while linux.resources.memory"
                        + ".limit is -1 (unlimited) on cgroup v1",
                error(hybrid(), Res.of().memory(-1L, null, 100L)));
        assertEquals(List.of(), validate(v2(), Res.of().memory(-1L, null, 100L).build(), false));
        // an update may set swap alone: it is resolved against the cgroup's current limit
        assertEquals(List.of(), validate(v2(), Res.of().memory(null, null, 100L).build(), true));
        assertEquals(
                List.of(), validate(hybrid(), Res.of().memory(-1L, 10L, -1L).build(), false));
    }

    @Test
    void memoryWarningsAndSwappiness() {
        MemoryResources kernel = new MemoryResources(100L, null, null, 10L, 10L, 101L, true, false, null);
        assertEquals(
                "config.json: field linux.resources.memory.swappiness: 101 is not a valid swappiness (0 to 100)",
                error(hybrid(), Res.of().memory(kernel)));
        // on v2 swappiness and disableOOMKiller have no equivalent: warnings, like the kernel fields
        assertEquals(
                List.of(
                        "linux.resources.memory.kernel is ignored: kernel memory limits are deprecated and not supported",
                        "linux.resources.memory.kernelTCP is ignored: kernel memory limits are deprecated and not supported",
                        "linux.resources.memory.useHierarchy is ignored: the kernel always accounts memory hierarchically",
                        "linux.resources.memory.swappiness is ignored: cgroup v2 has no per-cgroup swappiness",
                        "linux.resources.memory.disableOOMKiller is ignored: cgroup v2 cannot disable the OOM killer"),
                validate(v2(), Res.of().memory(kernel).build(), false));
        // -1 (uint64 max) is runc's "unset" swappiness
        MemoryResources unset = new MemoryResources(100L, null, null, null, null, -1L, null, null, null);
        assertEquals(List.of(), validate(hybrid(), Res.of().memory(unset).build(), false));
    }

    @Test
    void cpu() {
        assertEquals(
                "config.json: field linux.resources.cpu.quota: -2 is not a valid quota (-1 for unlimited)",
                error(hybrid(), Res.of().cpu(null, -2L, null, null)));
        assertEquals(
                "config.json: field linux.resources.cpu.burst: 60000 is larger than linux.resources.cpu.quota "
                        + "50000",
                error(hybrid(), Res.of().cpu(null, 50000L, 60000L, null)));
        assertEquals(
                "config.json: field linux.resources.cpu.shares: 18446744073709551615 is out of range",
                error(hybrid(), Res.of().cpu(-1L, null, null, null)));
        assertEquals(
                "config.json: field linux.resources.cpu.idle: 2 is not a valid idle setting (0 to 1)",
                error(v2(), Res.of().cpu(new CpuResources(null, null, null, null, null, null, null, null, 2L))));
        assertEquals(
                "config.json: field linux.resources.cpu.cpus: \"0-a\" is not a list like \"0-3,7\"",
                error(v2(), Res.of().cpu(new CpuResources(null, null, null, null, null, null, "0-a", null, null))));
        CpuResources rt = new CpuResources(null, null, null, null, 950000L, 1000000L, null, null, null);
        assertEquals(
                "config.json: field linux.resources.cpu.realtimeRuntime: 950000 cannot be applied: cgroup v2 has"
                        + " no realtime limits",
                error(v2(), Res.of().cpu(rt)));
        assertEquals(List.of(), validate(hybrid(), Res.of().cpu(rt).build(), false));
    }

    @Test
    void pidsAndBlockIo() {
        assertEquals(
                "config.json: field linux.resources.pids.limit: -2 is not a valid limit (-1 for unlimited)",
                error(v2(), Res.of().pids(-2)));
        assertEquals(
                "config.json: field linux.resources.blockIO.weight: 5 is not a valid weight (10 to 1000)",
                error(hybrid(), Res.of().blockIO(new BlockIo(5, null, null, null, null, null, null))));
        assertEquals(
                "config.json: field linux.resources.blockIO.weightDevice[0]: needs weight or leafWeight",
                error(
                        hybrid(),
                        Res.of()
                                .blockIO(new BlockIo(
                                        null,
                                        null,
                                        List.of(new WeightDevice(8L, 0L, null, null)),
                                        null,
                                        null,
                                        null,
                                        null))));
        assertEquals(
                "config.json: field linux.resources.blockIO.throttleWriteIOPSDevice[0]: major and minor are "
                        + "required",
                error(
                        hybrid(),
                        Res.of()
                                .blockIO(new BlockIo(
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        null,
                                        List.of(new ThrottleDevice(8L, null, 10L))))));
        assertEquals(
                "config.json: field linux.resources.blockIO.throttleReadBpsDevice[0].rate: is required",
                error(
                        hybrid(),
                        Res.of()
                                .blockIO(new BlockIo(
                                        null,
                                        null,
                                        null,
                                        List.of(new ThrottleDevice(8L, 0L, null)),
                                        null,
                                        null,
                                        null))));
        assertEquals(
                List.of("linux.resources.blockIO.leafWeight is ignored: cgroup v2 has no leaf weights"),
                validate(
                        v2(),
                        Res.of()
                                .blockIO(new BlockIo(500, 300, null, null, null, null, null))
                                .build(),
                        false));
    }

    @Test
    void hugepagesGoWhereHugetlbIs() {
        assertEquals(
                "config.json: field linux.resources.hugepageLimits[0].pageSize: \"3MB\" is not a huge page size "
                        + "of this host (2MB, 1GB)",
                error(hybrid(), Res.of().hugepages(new HugepageLimit("3MB", 1L))));
        // hybrid: hugetlb is on the unified hierarchy, which is fine
        assertEquals(
                List.of(),
                validate(
                        hybrid(),
                        Res.of().hugepages(new HugepageLimit("2MB", 4L << 20)).build(),
                        false));
        FakeCgroupTree noHugetlb = FakeCgroupTree.pureV2(tmp.resolve("x"), "cpu memory pids");
        assertEquals(
                "config.json: field linux.resources.hugepageLimits: the hugetlb cgroup controller is not "
                        + "available on this host",
                error(noHugetlb, Res.of().hugepages(new HugepageLimit("2MB", 1L))));
    }

    @Test
    void networkNeedsV1Hierarchies() {
        Res classId = Res.of().network(new NetworkResources(0x100001L, null));
        String v2Message = "config.json: field linux.resources.network.classID: the net_cls cgroup controller is not "
                + "available on this host (cgroup v2 has no net_cls)";
        assertEquals(v2Message, error(v2(), classId));
        assertEquals(v2Message, error(hybrid(), classId)); // net_cls is not mounted on the hybrid host
        assertEquals(List.of(), validate(v1(), classId.build(), false));
        assertEquals(
                "config.json: field linux.resources.network.priorities[0].name: is required",
                error(v1(), Res.of().network(new NetworkResources(null, List.of(new InterfacePriority("", 1L))))));
    }

    @Test
    void rdma() {
        assertEquals(
                "config.json: field linux.resources.rdma[\"mlx4_0\"]: needs hcaHandles or hcaObjects",
                error(v1(), Res.of().rdma(Map.of("mlx4_0", new RdmaLimit(null, null)))));
        assertEquals(
                "config.json: field linux.resources.rdma: the rdma cgroup controller is not available on this "
                        + "host",
                error(hybrid(), Res.of().rdma(Map.of("mlx4_0", new RdmaLimit(2L, null)))));
    }

    @Test
    void devices() {
        assertEquals(
                "config.json: field linux.resources.devices: rule c 1:3 rwm cannot take access away from the "
                        + "wider rule c *:* rwm (the devices cgroup cannot punch holes in wildcard rules)",
                error(
                        v2(),
                        Res.of().devices(Res.rule(true, "c", null, null, "rwm"), Res.rule(false, "c", 1L, 3L, "rwm"))));
        assertEquals(
                List.of(),
                validate(
                        v1(),
                        Res.of()
                                .devices(Res.rule(false, null, null, null, "rwm"))
                                .build(),
                        false));
    }

    @Test
    void unifiedKeysNeedTheirControllerInV2() {
        FakeCgroupTree v2 = FakeCgroupTree.pureV2(tmp.resolve("v2h"), "hugetlb pids");
        assertEquals(
                "config.json: field linux.resources.unified[\"memory.max\"]: the cgroup v2 controller \"memory\" "
                        + "is not available (available: hugetlb pids)",
                error(v2, Res.of().unified(Map.of("memory.max", "1000"))));
        assertEquals(
                List.of(),
                validate(
                        v2,
                        Res.of()
                                .unified(Map.of("hugetlb.2MB.max", "1000", "cgroup.max.depth", "2"))
                                .build(),
                        false));
        assertEquals(
                "config.json: field linux.resources.unified: \"cgroup.events\" is not a writable cgroup core file",
                error(v2, Res.of().unified(Map.of("cgroup.events", "1"))));
        assertEquals(
                "config.json: field linux.resources.unified: \"../memory.max\" is not a cgroup file name of the "
                        + "form <controller>.<file>",
                error(v2(), Res.of().unified(Map.of("../memory.max", "1"))));
        assertEquals(
                List.of(),
                validate(v2(), Res.of().unified(Map.of("memory.oom.group", "1")).build(), false));
    }

    @Test
    void unifiedIsRefusedUnlessTheHostIsV2Only() {
        assertEquals(
                "config.json: field linux.resources.unified: cannot use unified on cgroup v1 (this host has no "
                        + "cgroup v2 hierarchy)",
                error(v1(), Res.of().unified(Map.of("memory.max", "1"))));
        assertEquals(
                "config.json: field linux.resources.unified: cannot use unified on cgroup v1 (this host mounts v1 "
                        + "controllers next to its cgroup v2 hierarchy)",
                error(hybrid(), Res.of().unified(Map.of("hugetlb.2MB.max", "1000"))));
        assertEquals(List.of(), validate(hybrid(), Res.of().unified(Map.of()).build(), false));
    }

    @Test
    void messagesNameWhereTheValuesCameFrom() {
        FakeCgroupTree t = hybrid();
        assertEquals(
                "update: field linux.resources.pids.limit: -3 is not a valid limit (-1 for unlimited)",
                assertThrows(
                                ConfigException.class,
                                () -> validate(t, "/c1", Res.of().pids(-3).build(), true, List.of("2MB"), "update"))
                        .getMessage());
    }

    @Test
    void hugePageSizesUseBase1024Units() {
        assertEquals("2MB", HugePageSizes.fromDirName("hugepages-2048kB"));
        assertEquals("1GB", HugePageSizes.fromDirName("hugepages-1048576kB"));
        assertEquals("64KB", HugePageSizes.fromDirName("hugepages-64kB"));
        assertEquals(null, HugePageSizes.fromDirName("nr_hugepages"));
    }

    @Test
    void nothingToCheck() {
        assertEquals(List.of(), validate(v1(), null, false));
        assertEquals(List.of(), validate(v1(), Res.of().build(), false));
        assertTrue(validate(
                        hybrid(),
                        Res.of()
                                .memory(new MemoryResources(null, null, null, 1L, null, null, null, null, null))
                                .build(),
                        false)
                .get(0)
                .startsWith("linux.resources.memory.kernel is ignored"));
    }
}
