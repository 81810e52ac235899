package org.jrunc.cgroups.manager;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.CgroupStats;
import org.jrunc.cgroups.Hierarchy;
import org.jrunc.cgroups.HostCgroups;
import org.jrunc.cgroups.HugePageSizes;
import org.jrunc.cgroups.OomCounter;
import org.jrunc.cgroups.Res;
import org.jrunc.config.CpuResources;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.MemoryResources;
import org.jrunc.sys.KernelFiles;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The v1 writers on this host's real hierarchies: directories jrunc-test-XXX, removed afterwards. */
@Tag("root")
class HostV1CgroupTest {
    private final String name = HostCgroups.testName();
    private CgroupLayout layout;
    private final Map<String, String> dirs = new LinkedHashMap<>();
    private final List<Path> made = new ArrayList<>();

    @BeforeEach
    void setUp() {
        HostCgroups.assumeRoot();
        layout = CgroupLayout.detect();
        assumeTrue(layout.v1("pids") != null && layout.v1("memory") != null, "needs v1 pids and memory hierarchies");
    }

    @AfterEach
    void cleanUp() throws Exception {
        for (int i = made.size() - 1; i >= 0; i--) {
            HostCgroups.remove(made.get(i));
        }
    }

    /** Creates the test cgroup in the hierarchies of these controllers only (not in name=systemd, freezer, ...). */
    private Map<String, String> create(String... controllers) throws Exception {
        for (String c : controllers) {
            Hierarchy h = c.equals("unified") ? layout.unified() : layout.v1(c);
            Path dir = Path.of(h.dirOf("/" + name));
            Files.createDirectory(dir);
            made.add(dir);
            dirs.put(h.key(), dir.toString());
        }
        return dirs;
    }

    @Test
    void pidsMemoryAndCpuLimitsReadBack() throws Exception {
        create("pids", "memory", "cpu");
        Path pids = Path.of(dirs.get(layout.v1("pids").key()));
        Path mem = Path.of(dirs.get(layout.v1("memory").key()));
        Path cpu = Path.of(dirs.get(layout.v1("cpu").key()));
        CgroupResources res = CgroupResources.host();
        res.apply(
                layout,
                dirs,
                Res.of()
                        .pids(10)
                        .memory(64L << 20, 32L << 20, 128L << 20)
                        .cpu(new CpuResources(512L, 50000L, null, 100000L, null, null, null, null, null))
                        .build(),
                false);
        assertEquals("10", HostCgroups.read(pids.resolve("pids.max")));
        assertEquals(Long.toString(64L << 20), HostCgroups.read(mem.resolve("memory.limit_in_bytes")));
        assertEquals(Long.toString(32L << 20), HostCgroups.read(mem.resolve("memory.soft_limit_in_bytes")));
        boolean memsw = Files.exists(mem.resolve("memory.memsw.limit_in_bytes"));
        if (memsw) {
            assertEquals(Long.toString(128L << 20), HostCgroups.read(mem.resolve("memory.memsw.limit_in_bytes")));
        }
        assertEquals("512", HostCgroups.read(cpu.resolve("cpu.shares")));
        assertEquals("50000", HostCgroups.read(cpu.resolve("cpu.cfs_quota_us")));

        // update down, then up: the kernel refuses either order one way, so this checks the order logic for real
        res.apply(
                layout,
                dirs,
                Res.of().memory(16L << 20, null, 24L << 20).pids(-1).build(),
                true);
        assertEquals(Long.toString(16L << 20), HostCgroups.read(mem.resolve("memory.limit_in_bytes")));
        assertEquals("max", HostCgroups.read(pids.resolve("pids.max")));
        res.apply(layout, dirs, Res.of().memory(256L << 20, null, 512L << 20).build(), true);
        assertEquals(Long.toString(256L << 20), HostCgroups.read(mem.resolve("memory.limit_in_bytes")));
        if (memsw) {
            assertEquals(Long.toString(512L << 20), HostCgroups.read(mem.resolve("memory.memsw.limit_in_bytes")));
        }
        res.apply(
                layout,
                dirs,
                Res.of()
                        .memory(new MemoryResources(-1L, null, null, null, null, 30L, false, null, null))
                        .build(),
                true);
        assertEquals("30", HostCgroups.read(mem.resolve("memory.swappiness")));

        @SuppressWarnings("unchecked")
        Map<String, Object> stats = CgroupStats.read(dirs);
        assertEquals(Map.of(), stats.get("pids")); // no task, no limit
        @SuppressWarnings("unchecked")
        Map<String, Object> usage = (Map<String, Object>) ((Map<String, Object>) stats.get("memory")).get("usage");
        assertEquals(9223372036854771712L, usage.get("limit"));
        assertEquals(0, OomCounter.watch(dirs).count());
    }

    @Test
    void v1DeviceRulesAreWrittenAsTransitions() throws Exception {
        assumeTrue(layout.v1("devices") != null, "needs the v1 devices hierarchy");
        create("devices");
        Path dev = Path.of(dirs.get(layout.v1("devices").key()));
        CgroupResources.host()
                .apply(
                        layout,
                        dirs,
                        Res.of()
                                .devices(
                                        Res.rule(false, null, null, null, "rwm"),
                                        Res.rule(true, "c", 1L, 3L, "rwm"),
                                        Res.rule(true, "c", 136L, null, "rw"))
                                .build(),
                        false);
        assertEquals("c 1:3 rwm\nc 136:* rw", HostCgroups.read(dev.resolve("devices.list")));
        CgroupResources.host()
                .apply(
                        layout,
                        dirs,
                        Res.of()
                                .devices(
                                        Res.rule(false, null, null, null, "rwm"),
                                        Res.rule(true, "c", 1L, 3L, "rwm"),
                                        Res.rule(true, "c", 1L, 5L, "r"))
                                .build(),
                        true);
        assertEquals("c 1:3 rwm\nc 1:5 r", HostCgroups.read(dev.resolve("devices.list")));
    }

    /** hugetlb is bound to the unified hierarchy on this host: the limit goes there, enabling it on the way. */
    @Test
    void hugetlbOnTheUnifiedHierarchyOfAHybridHost() throws Exception {
        Hierarchy unified = layout.unified();
        assumeTrue(unified != null && layout.v1("hugetlb") == null, "needs hugetlb on the unified hierarchy");
        Path root = Path.of(unified.mountPoint());
        assumeTrue(HostCgroups.read(root.resolve("cgroup.controllers")).contains("hugetlb"));
        assumeTrue(HugePageSizes.ofHost().contains("2MB"), "needs 2MB huge pages");
        String before = HostCgroups.read(root.resolve("cgroup.subtree_control"));
        create("unified");
        try {
            CgroupResources.host()
                    .apply(
                            layout,
                            dirs,
                            Res.of()
                                    .hugepages(new HugepageLimit("2MB", 4L << 20))
                                    .build(),
                            false);
            Path dir = Path.of(dirs.get("unified"));
            assertEquals(Long.toString(4L << 20), HostCgroups.read(dir.resolve("hugetlb.2MB.max")));
            @SuppressWarnings("unchecked")
            Map<String, Object> hugetlb =
                    (Map<String, Object>) CgroupStats.read(dirs).get("hugetlb");
            assertEquals(Map.of("failcnt", 0L), hugetlb.get("2MB"));
        } finally {
            cleanUp();
            made.clear();
            if (!before.contains("hugetlb")) {
                // leave the host's root as it was
                KernelFiles.write(root.resolve("cgroup.subtree_control"), "-hugetlb");
            }
        }
    }
}
