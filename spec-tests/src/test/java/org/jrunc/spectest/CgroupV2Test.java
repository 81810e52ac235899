package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * cgroups on a cgroup v2 only host: the run-in-vm guest, where scripts/test-cgroup-v2.sh runs this class (the
 * cgroup-v2 group is left out of `mvn verify` on the hybrid hosts). Every field of linux.resources is read back from
 * the v2 files, or refused as runc refuses it; {@link CgroupContract} has the operations.
 *
 * <p>scripts/cgroup-v2-guest.sh prepares the guest: JRUNC_TEST_BLOCK_DEVICE names a block device with io.cost enabled
 * (null_blk), JRUNC_TEST_RDMA_DEVICE an RDMA device (soft-RoCE on a veth pair), and JRUNC_TEST_MODPROBE=1 says the
 * kernel is a throw-away one that a test may load modules into.
 */
@Tag("cgroup-v2")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CgroupV2Test extends CgroupContract {
    static final String BLOCK = System.getenv("JRUNC_TEST_BLOCK_DEVICE");
    static final String RDMA = System.getenv("JRUNC_TEST_RDMA_DEVICE");

    @BeforeEach
    void requireV2() {
        Assumptions.assumeTrue(CgroupFs.v2Only(), "a cgroup v2 only host");
    }

    @Override
    boolean frozen(String id) {
        return read("cgroup", id, "cgroup.events").lines().anyMatch("frozen 1"::equals);
    }

    @Override
    String memoryLimitFile() {
        return "memory.max";
    }

    @Override
    Map<String, String> afterFlagUpdate(String id) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pids/pids.max", "70");
        m.put("memory/memory.max", Long.toString(200L << 20));
        // the OCI swap is memory+swap; v2's swap.max is swap alone
        m.put("memory/memory.swap.max", Long.toString(200L << 20));
        m.put("memory/memory.low", Long.toString(64L << 20));
        // runc's and crun's conversion of cpu.shares 256
        m.put("cpu/cpu.weight", "35");
        m.put("cpu/cpu.max", "100000 200000");
        m.put("cpu/cpu.max.burst", "10000");
        m.put("cpuset/cpuset.cpus", "0");
        m.put("cpuset/cpuset.mems", "0");
        // blkio weight 500 converted to io.weight's range
        m.put("io/io.weight", "default 4950");
        return m;
    }

    @Override
    List<String[]> versionBadResources() {
        return List.of(
                new String[] {"{\"unified\":{\"bogus.key\":\"1\"}}", "bogus.key"},
                // a file the memory controller does not have: refused by the kernel after the cgroup was made
                new String[] {"{\"unified\":{\"memory.bogus\":\"1\"}}", "memory.bogus: no such file"},
                new String[] {"{\"network\":{\"classID\":1048577}}", "network.classID"},
                new String[] {"{\"network\":{\"priorities\":[{\"name\":\"lo\",\"priority\":5}]}}", "network.priorities"
                },
                new String[] {"{\"cpu\":{\"realtimeRuntime\":1000}}", "cpu.realtimeRuntime"},
                new String[] {"{\"rdma\":{\"nosuchdev0\":{\"hcaHandles\":2}}}", "nosuchdev0"});
    }

    /**
     * Every field in one container, converted as runc does (cpu.shares to cpu.weight, blkio weights to io.weight, swap
     * to memory.swap.max), unified written last so it overrides, and the device rules as an eBPF program.
     */
    @Test
    void everyFieldIsWrittenToTheV2Files() throws Exception {
        Assumptions.assumeTrue(BLOCK != null && RDMA != null, "JRUNC_TEST_BLOCK_DEVICE and JRUNC_TEST_RDMA_DEVICE");
        String dev = CgroupFs.blockDeviceNumbers(BLOCK);
        String[] majMin = dev.split(":");
        Bundle b = deviceProbe();
        ObjectNode r = (ObjectNode) b.linux().get("resources");
        r.putObject("memory")
                .put("limit", 64L << 20)
                .put("reservation", 32L << 20)
                .put("swap", 96L << 20)
                .put("swappiness", 20)
                .put("disableOOMKiller", true)
                .put("kernel", 1L << 20);
        r.putObject("cpu")
                .put("shares", 512)
                .put("quota", 50000)
                .put("period", 100000)
                .put("burst", 20000)
                .put("cpus", "0")
                .put("mems", "0");
        r.putObject("pids").put("limit", 42);
        ObjectNode io = r.putObject("blockIO").put("weight", 300);
        io.putArray("weightDevice")
                .addObject()
                .put("major", Long.parseLong(majMin[0]))
                .put("minor", Long.parseLong(majMin[1]))
                .put("weight", 400);
        String[] throttles = {
            "throttleReadBpsDevice", "throttleWriteBpsDevice", "throttleReadIOPSDevice", "throttleWriteIOPSDevice"
        };
        long[] rates = {1048576, 2097152, 100, 200};
        for (int i = 0; i < throttles.length; i++) {
            io.putArray(throttles[i])
                    .addObject()
                    .put("major", Long.parseLong(majMin[0]))
                    .put("minor", Long.parseLong(majMin[1]))
                    .put("rate", rates[i]);
        }
        r.putArray("hugepageLimits").addObject().put("pageSize", "2MB").put("limit", 4L << 20);
        r.putObject("rdma").putObject(RDMA).put("hcaHandles", 2).put("hcaObjects", 100);
        r.putObject("unified").put("memory.high", Long.toString(48L << 20)).put("pids.max", "40");
        String id = uniqueId("v2all");
        Jrunc.Result run =
                jrunc.run("run", "-d", "-b", b.write().toString(), id).ok();
        for (String ignored : List.of("memory.kernel", "memory.swappiness", "memory.disableOOMKiller")) {
            assertEquals(
                    1,
                    run.err()
                            .lines()
                            .filter(l -> l.contains("linux.resources." + ignored + " is ignored"))
                            .count(),
                    ignored + ": " + run.err());
        }

        assertEquals(Long.toString(64L << 20), read("memory", id, "memory.max"));
        assertEquals(Long.toString(32L << 20), read("memory", id, "memory.low"));
        assertEquals(Long.toString(32L << 20), read("memory", id, "memory.swap.max"), "swap minus limit");
        assertEquals(Long.toString(48L << 20), read("memory", id, "memory.high"), "from unified");
        assertEquals("59", read("cpu", id, "cpu.weight"), "cpu.shares 512 converted");
        assertEquals("50000 100000", read("cpu", id, "cpu.max"));
        assertEquals("20000", read("cpu", id, "cpu.max.burst"));
        assertEquals("0", read("cpuset", id, "cpuset.cpus"));
        assertEquals("0", read("cpuset", id, "cpuset.mems"));
        assertEquals("40", read("pids", id, "pids.max"), "unified is written last and overrides pids.limit");
        assertEquals(
                List.of("default 2930", dev + " 3940"),
                read("io", id, "io.weight").lines().toList(),
                "blkio weights 300 and 400 converted");
        assertEquals(dev + " rbps=1048576 wbps=2097152 riops=100 wiops=200", read("io", id, "io.max"));
        assertEquals(Long.toString(4L << 20), read("hugetlb", id, "hugetlb.2MB.max"));
        assertEquals(Long.toString(4L << 20), read("hugetlb", id, "hugetlb.2MB.rsvd.max"));
        assertEquals(RDMA + " hca_handle=2 hca_object=100", read("rdma", id, "rdma.max"));
        String enabled = CgroupFs.read(CgroupFs.ROOT.resolve("jrunc/cgroup.subtree_control"));
        for (String c : List.of("cpuset", "cpu", "io", "memory", "hugetlb", "pids", "rdma")) {
            assertTrue(List.of(enabled.split(" ")).contains(c), c + " enabled for the container: " + enabled);
        }
        assertDeviceRulesEnforced(b);
        int pid = Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt();
        assertEquals(
                "0::/jrunc/" + id,
                Files.readString(Path.of("/proc/" + pid + "/cgroup")).trim());
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }

    /**
     * Where BFQ schedules the device, weights go to io.bfq.weight unconverted, per device too. Loading bfq adds that
     * file to every cgroup, so this runs last, and only in a throw-away guest.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void blockIoWeightsGoToBfqWhereItIsLoaded() throws Exception {
        Assumptions.assumeTrue(
                BLOCK != null && "1".equals(System.getenv("JRUNC_TEST_MODPROBE")),
                "a throw-away guest with JRUNC_TEST_BLOCK_DEVICE");
        Jrunc.Result modprobe = Jrunc.raw(List.of("modprobe", "bfq"), Map.of(), null, 60);
        assertEquals(0, modprobe.exit(), modprobe.err());
        CgroupFs.write(Path.of("/sys/block", BLOCK, "queue", "scheduler"), "bfq");
        String dev = CgroupFs.blockDeviceNumbers(BLOCK);
        String[] majMin = dev.split(":");
        Bundle b = bundle("sleep", "1000");
        ObjectNode io = b.linux().putObject("resources").putObject("blockIO").put("weight", 300);
        io.putArray("weightDevice")
                .addObject()
                .put("major", Long.parseLong(majMin[0]))
                .put("minor", Long.parseLong(majMin[1]))
                .put("weight", 400);
        String id = runDetached(b, uniqueId("bfq"));
        assertEquals(
                List.of("default 300", dev + " 400"),
                read("io", id, "io.bfq.weight").lines().toList());
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }
}
