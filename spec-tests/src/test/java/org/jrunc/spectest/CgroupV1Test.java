package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cgroups on this project's hybrid hosts: v1 controllers at /sys/fs/cgroup/CTRL, cgroup2 (freeze, kill, hugetlb) at
 * /sys/fs/cgroup/unified. Every field of linux.resources is read back from the kernel's files, or refused with a
 * one-line error where the host lacks its controller; {@link CgroupContract} has the operations.
 */
class CgroupV1Test extends CgroupContract {
    static final Path V1 = CgroupFs.ROOT;

    @BeforeEach
    void requireV1() {
        Assumptions.assumeTrue(
                Files.isDirectory(V1.resolve("memory")) && Files.isDirectory(V1.resolve("pids")),
                "a v1 memory and pids hierarchy");
    }

    @Override
    boolean frozen(String id) {
        return read("freezer", id, "freezer.state").equals("FROZEN");
    }

    @Override
    String memoryLimitFile() {
        return "memory.limit_in_bytes";
    }

    @Override
    Map<String, String> afterFlagUpdate(String id) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("pids/pids.max", "70");
        m.put("memory/memory.limit_in_bytes", Long.toString(200L << 20));
        m.put("memory/memory.memsw.limit_in_bytes", Long.toString(400L << 20));
        m.put("memory/memory.soft_limit_in_bytes", Long.toString(64L << 20));
        m.put("cpu/cpu.shares", "256");
        m.put("cpu/cpu.cfs_period_us", "200000");
        m.put("cpu/cpu.cfs_quota_us", "100000");
        m.put("cpu/cpu.cfs_burst_us", "10000");
        m.put("cpuset/cpuset.cpus", "0");
        m.put("cpuset/cpuset.mems", "0");
        // CFQ's file where it still exists, else BFQ's (kernels since 5.0)
        m.put(
                Files.exists(CgroupFs.dir("blkio", id).resolve("blkio.weight"))
                        ? "blkio/blkio.weight"
                        : "blkio/blkio.bfq.weight",
                "500");
        return m;
    }

    @Override
    List<String[]> versionBadResources() {
        List<String[]> cases = new ArrayList<>();
        // runc's rule: unified needs a cgroup v2 only host, also where a cgroup2 mount carries the controller
        cases.add(new String[] {"{\"unified\":{\"hugetlb.2MB.max\":\"1\"}}", "cannot use unified on cgroup v1"});
        cases.add(new String[] {"{\"memory\":{\"swappiness\":101}}", "memory.swappiness"});
        if (!Files.isDirectory(V1.resolve("net_cls"))) {
            cases.add(new String[] {
                "{\"network\":{\"classID\":1048577}}", "network.classID: the net_cls cgroup controller is not available"
            });
        }
        if (!Files.isDirectory(V1.resolve("rdma"))
                && !CgroupFs.read(V1.resolve("unified/cgroup.controllers")).contains("rdma")) {
            cases.add(new String[] {
                "{\"rdma\":{\"mlx5_0\":{\"hcaHandles\":2}}}", "rdma: the rdma cgroup controller is not available"
            });
        }
        return cases;
    }

    /**
     * Every field this host has a controller for, in one container. blockIO goes to a loop device of the test's own,
     * switched to BFQ for the per-device weight (which BFQ refuses for a device it does not schedule, so that is tried
     * first); hugetlb is on the unified hierarchy here, as on most hybrid hosts.
     */
    @Test
    void everyFieldIsWrittenToTheV1Files() throws Exception {
        try (LoopDevice loop = LoopDevice.attach(tmp)) {
            rebaseline();
            Assumptions.assumeTrue(loop.useScheduler("none"), "a loop device without I/O scheduler");
            String dev = loop.numbers();
            String[] majMin = dev.split(":");
            Bundle noBfq = bundle("true");
            noBfq.linux()
                    .set(
                            "resources",
                            Bundle.JSON.readTree("{\"blockIO\":{\"weightDevice\":[{\"major\":" + majMin[0]
                                    + ",\"minor\":" + majMin[1] + ",\"weight\":400}]}}"));
            Jrunc.Result refused = jrunc.run("create", "-b", noBfq.write().toString(), uniqueId("nobfq"))
                    .fails();
            assertTrue(
                    refused.err().contains("blockIO.weightDevice[0].weight")
                            && refused.err().contains("block device " + dev + " (")
                            && refused.err().contains("does not use the bfq I/O scheduler"),
                    refused.err());
            assertNothingLeft();
            Assumptions.assumeTrue(loop.useScheduler("bfq"), "the bfq I/O scheduler");

            Bundle b = deviceProbe();
            ObjectNode r = (ObjectNode) b.linux().get("resources");
            r.putObject("memory")
                    .put("limit", 64L << 20)
                    .put("reservation", 32L << 20)
                    .put("swap", 128L << 20)
                    .put("swappiness", 20)
                    .put("disableOOMKiller", true)
                    .put("kernel", 1L << 20)
                    .put("kernelTCP", 1L << 20);
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
            String id = uniqueId("v1all");
            Jrunc.Result run =
                    jrunc.run("run", "-d", "-b", b.write().toString(), id).ok();
            assertEquals(
                    2,
                    run.err()
                            .lines()
                            .filter(l -> l.contains("linux.resources.memory.kernel"))
                            .count(),
                    "one warning each for kernel and kernelTCP: " + run.err());

            assertEquals(Long.toString(64L << 20), read("memory", id, "memory.limit_in_bytes"));
            assertEquals(Long.toString(32L << 20), read("memory", id, "memory.soft_limit_in_bytes"));
            assertEquals(Long.toString(128L << 20), read("memory", id, "memory.memsw.limit_in_bytes"));
            assertEquals("20", read("memory", id, "memory.swappiness"));
            assertTrue(read("memory", id, "memory.oom_control").startsWith("oom_kill_disable 1"));
            assertEquals("512", read("cpu", id, "cpu.shares"));
            assertEquals("50000", read("cpu", id, "cpu.cfs_quota_us"));
            assertEquals("100000", read("cpu", id, "cpu.cfs_period_us"));
            assertEquals("20000", read("cpu", id, "cpu.cfs_burst_us"));
            assertEquals("0", read("cpuset", id, "cpuset.cpus"));
            assertEquals("0", read("cpuset", id, "cpuset.mems"));
            assertEquals("42", read("pids", id, "pids.max"));
            assertEquals("300", read("blkio", id, "blkio.bfq.weight"));
            String weights = read("blkio", id, "blkio.bfq.weight_device");
            assertTrue(weights.lines().anyMatch((dev + " 400")::equals), weights);
            assertEquals(dev + " 1048576", read("blkio", id, "blkio.throttle.read_bps_device"));
            assertEquals(dev + " 2097152", read("blkio", id, "blkio.throttle.write_bps_device"));
            assertEquals(dev + " 100", read("blkio", id, "blkio.throttle.read_iops_device"));
            assertEquals(dev + " 200", read("blkio", id, "blkio.throttle.write_iops_device"));
            String hugetlb =
                    Files.isDirectory(V1.resolve("hugetlb")) ? "hugetlb.2MB.limit_in_bytes" : "hugetlb.2MB.max";
            assertEquals(Long.toString(4L << 20), read("hugetlb", id, hugetlb));
            String devices = read("devices", id, "devices.list");
            assertTrue(
                    devices.contains("c 1:11 w")
                            && devices.contains("c 1:3 rwm")
                            && devices.contains("c 136:* rwm")
                            && !devices.contains("c 10:237")
                            && !devices.contains("a *:* rwm"),
                    devices);
            assertDeviceRulesEnforced(b);
            int pid = Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt();
            String cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
            assertTrue(cgroup.contains("memory:/jrunc/" + id) && cgroup.contains("blkio:/jrunc/" + id), cgroup);
            jrunc.run("delete", "-f", id).ok();
            assertNothingLeft();
        }
    }

    /**
     * cpu.rt_runtime_us (CONFIG_RT_GROUP_SCHED): a cgroup's children share its own realtime budget, which is 0 below the
     * root, so a container gets one only once its parent has it, as with runc (and docker's --cpu-rt-runtime for the
     * daemon's parent). The refusal says so; jrunc keeps its default parent, budget and all.
     */
    @Test
    void realtimeRuntimeMustFitTheParentsBudget() throws Exception {
        Assumptions.assumeTrue(Files.exists(V1.resolve("cpu/cpu.rt_runtime_us")), "CONFIG_RT_GROUP_SCHED");
        Path parent = V1.resolve("cpu/jrunc");
        boolean made = !Files.isDirectory(parent);
        Files.createDirectories(parent);
        try {
            CgroupFs.write(parent.resolve("cpu.rt_runtime_us"), "0");
            Bundle b = bundle("sleep", "1000");
            b.linux()
                    .putObject("resources")
                    .putObject("cpu")
                    .put("realtimeRuntime", 1000)
                    .put("realtimePeriod", 100000);
            Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("rt"))
                    .fails();
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(
                    r.err().contains("linux.resources.cpu.realtimeRuntime")
                            && r.err().contains(parent.resolve("cpu.rt_runtime_us") + " is 0"),
                    r.err());
            assertNothingLeft();

            CgroupFs.write(parent.resolve("cpu.rt_runtime_us"), "20000");
            String id = runDetached(b, uniqueId("rt"));
            assertEquals("1000", read("cpu", id, "cpu.rt_runtime_us"));
            assertEquals("100000", read("cpu", id, "cpu.rt_period_us"));
            jrunc.run("delete", "-f", id).ok();
            assertNothingLeft();
        } finally {
            try {
                CgroupFs.write(parent.resolve("cpu.rt_runtime_us"), "0");
                if (made) {
                    Files.deleteIfExists(parent);
                }
            } catch (RuntimeException | IOException e) {
                // another container is in the shared parent now; it keeps it
            }
        }
    }

    /**
     * net_cls and net_prio, which this host's kernel has but does not mount: a private mount namespace mounts them, and
     * jrunc, run inside it, finds the hierarchy in its mountinfo like any other.
     */
    @Test
    void networkClassIdAndPrioritiesInANetClsHierarchy() throws Exception {
        String cgroups = Files.readString(Path.of("/proc/cgroups"));
        Assumptions.assumeTrue(
                cgroups.contains("\nnet_cls\t") && cgroups.contains("\nnet_prio\t"),
                "net_cls and net_prio in the kernel");
        Assumptions.assumeFalse(Files.isDirectory(V1.resolve("net_cls")), "net_cls not mounted on the host");
        Bundle b = bundle("sleep", "1000");
        ObjectNode net = b.linux().putObject("resources").putObject("network").put("classID", 0x100001);
        net.putArray("priorities").addObject().put("name", "lo").put("priority", 5);
        String id = uniqueId("net");
        Path mnt = tmp.resolve("net_cls,net_prio");
        String script = "set -e; mkdir -p \"$1\"; mount -t cgroup -o net_cls,net_prio cgroup \"$1\"; "
                + "\"$2\" --root \"$3\" run -d -b \"$4\" \"$5\"; d=\"$1/jrunc/$5\"; "
                + "echo classid=$(cat \"$d/net_cls.classid\"); echo prio=$(grep '^lo ' \"$d/net_prio.ifpriomap\"); "
                + "echo procs=$(wc -l < \"$d/cgroup.procs\"); \"$2\" --root \"$3\" delete -f \"$5\"; "
                + "test ! -e \"$d\" && echo removed; rmdir \"$1/jrunc\"; umount \"$1\"";
        Jrunc.Result r = Jrunc.raw(
                List.of(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "sh",
                        "-c",
                        script,
                        "sh",
                        mnt.toString(),
                        Jrunc.binary().toString(),
                        jrunc.root().toString(),
                        b.write().toString(),
                        id),
                Map.of(),
                null,
                120);
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals(
                List.of("classid=1048577", "prio=lo 5", "procs=1", "removed"),
                r.out().lines().toList());
        assertFalse(Files.exists(jrunc.root().resolve(id)));
        assertNothingLeft();
    }

    @Test
    void cgroupV2FreezeAndKillWorkOnTheUnifiedHierarchy() throws Exception {
        Path unified = V1.resolve("unified");
        Assumptions.assumeTrue(
                Files.exists(unified.resolve("cgroup.procs")), "a cgroup2 mount at /sys/fs/cgroup/unified");
        String id = runDetached(bundle("sh", "-c", "sleep 1000 & wait"), uniqueId("v2core"));
        Path dir = unified.resolve("jrunc").resolve(id);
        for (int i = 0;
                i < 100 && Files.readString(dir.resolve("cgroup.procs")).lines().count() < 2;
                i++) {
            Thread.sleep(20);
        }
        assertTrue(Files.readString(dir.resolve("cgroup.procs")).lines().count() >= 2);
        Files.writeString(dir.resolve("cgroup.freeze"), "1");
        for (int i = 0;
                i < 100 && !Files.readString(dir.resolve("cgroup.events")).contains("frozen 1");
                i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(dir.resolve("cgroup.events")).contains("frozen 1"));
        Files.writeString(dir.resolve("cgroup.freeze"), "0");
        jrunc.run("kill", "--all", id, "9").ok();
        for (int i = 0;
                i < 100 && !Files.readString(dir.resolve("cgroup.procs")).isBlank();
                i++) {
            Thread.sleep(20);
        }
        assertEquals("", Files.readString(dir.resolve("cgroup.procs")).trim());
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }
}
