package org.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.json.JsonWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stats in the shape of runc's types/events.go, from v1 and v2 file trees. */
class CgroupStatsTest {
    @TempDir
    Path tmp;

    @Test
    void hybridHostReadsV1ControllersAndUnifiedHugetlb() {
        FakeCgroupTree t = FakeCgroupTree.hybrid(tmp);
        Map<String, String> dirs = t.create("/jrunc/c1");
        t.write("cpuacct/jrunc/c1/cpuacct.usage", "1000000\n");
        t.write("cpuacct/jrunc/c1/cpuacct.usage_percpu", "600000 400000 \n");
        t.write("cpuacct/jrunc/c1/cpuacct.usage_all", "cpu user system\n0 500000 100000\n1 300000 100000\n");
        t.write("cpuacct/jrunc/c1/cpuacct.stat", "user 10\nsystem 5\n");
        t.write("cpu/jrunc/c1/cpu.stat", "nr_periods 10\nnr_throttled 2\nthrottled_time 5000\nnr_bursts 0\n");
        t.write("cpuset/jrunc/c1/cpuset.cpus", "0-1\n");
        t.write("cpuset/jrunc/c1/cpuset.mems", "0\n");
        t.write("cpuset/jrunc/c1/cpuset.sched_load_balance", "1\n");
        t.write("cpuset/jrunc/c1/cpuset.sched_relax_domain_level", "-1\n");
        t.write("memory/jrunc/c1/memory.stat", "cache 4096\nrss 8192\ntotal_cache 4096\n");
        t.write("memory/jrunc/c1/memory.usage_in_bytes", "12288\n");
        t.write("memory/jrunc/c1/memory.max_usage_in_bytes", "20480\n");
        t.write("memory/jrunc/c1/memory.failcnt", "3\n");
        t.write("memory/jrunc/c1/memory.limit_in_bytes", "104857600\n");
        t.write("memory/jrunc/c1/memory.memsw.usage_in_bytes", "12288\n");
        t.write("memory/jrunc/c1/memory.memsw.max_usage_in_bytes", "20480\n");
        t.write("memory/jrunc/c1/memory.memsw.failcnt", "0\n");
        t.write("pids/jrunc/c1/pids.current", "3\n");
        t.write("pids/jrunc/c1/pids.max", "max\n");
        t.write(
                "blkio/jrunc/c1/blkio.throttle.io_service_bytes_recursive",
                "8:0 Read 4096\n8:0 Write 0\n8:0 Total 4096\nTotal 4096\n");
        t.write("blkio/jrunc/c1/blkio.throttle.io_serviced_recursive", "8:0 Read 1\n8:0 Write 0\nTotal 1\n");
        t.write("unified/jrunc/c1/cgroup.controllers", "hugetlb\n");
        t.write("unified/jrunc/c1/hugetlb.2MB.rsvd.current", "2097152\n");
        t.write("unified/jrunc/c1/hugetlb.2MB.events", "max 1\n");
        String json = JsonWriter.compact(CgroupStats.read(dirs, t, List.of("2MB", "1GB")));
        assertEquals(
                "{\"cpu\":{\"usage\":{\"total\":1000000,\"percpu\":[600000,400000],\"percpu_kernel\":[100000,100000],"
                        + "\"percpu_user\":[500000,300000],\"kernel\":50000000,\"user\":100000000},"
                        + "\"throttling\":{\"periods\":10,\"throttledPeriods\":2,\"throttledTime\":5000}},"
                        + "\"cpuset\":{\"cpus\":[0,1],\"cpu_exclusive\":0,\"mems\":[0],\"mem_hardwall\":0,\"mem_exclusive\":0,"
                        + "\"memory_migrate\":0,\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,"
                        + "\"sched_load_balance\":1,\"sched_relax_domain_level\":-1},"
                        + "\"memory\":{\"cache\":4096,\"usage\":{\"limit\":104857600,\"usage\":12288,\"max\":20480,\"failcnt\":3},"
                        + "\"swap\":{\"limit\":9223372036854771712,\"usage\":12288,\"max\":20480,\"failcnt\":0},"
                        + "\"raw\":{\"cache\":4096,\"rss\":8192,\"total_cache\":4096}},"
                        + "\"pids\":{\"current\":3},"
                        + "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":4096},"
                        + "{\"major\":8,\"op\":\"Write\"},{\"major\":8,\"op\":\"Total\",\"value\":4096}],"
                        + "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":1},{\"major\":8,\"op\":\"Write\"}]},"
                        + "\"hugetlb\":{\"2MB\":{\"usage\":2097152,\"failcnt\":1}},"
                        + "\"intel_rdt\":{},\"network_interfaces\":null}",
                json);
    }

    @Test
    void pureV2ReadsCoreAndControllerFiles() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(tmp, "cpu io memory pids hugetlb");
        t.write("fs/cgroup.subtree_control", "cpu io memory pids hugetlb\n");
        Map<String, String> dirs = t.create("/c1");
        t.write(
                "fs/c1/cpu.stat",
                "usage_usec 1500\nuser_usec 1000\nsystem_usec 500\nnr_periods 4\n"
                        + "nr_throttled 1\nthrottled_usec 7\n");
        t.write(
                "fs/c1/cpu.pressure",
                "some avg10=1.50 avg60=0.00 avg300=0.00 total=42\n"
                        + "full avg10=0.00 avg60=0.00 avg300=0.00 total=0\n");
        t.write("fs/c1/memory.stat", "anon 100\nfile 200\n");
        t.write("fs/c1/memory.current", "300\n");
        t.write("fs/c1/memory.max", "1000\n");
        t.write("fs/c1/memory.peak", "400\n");
        t.write("fs/c1/memory.swap.current", "10\n");
        t.write("fs/c1/memory.swap.max", "max\n");
        t.write("fs/c1/pids.current", "2\n");
        t.write("fs/c1/pids.max", "100\n");
        t.write("fs/c1/io.stat", "8:0 rbytes=4096 wbytes=8192 rios=1 wios=2 dbytes=0 dios=0\n");
        t.write("fs/c1/hugetlb.2MB.current", "0\n");
        t.write("fs/c1/hugetlb.2MB.events", "max 0\n");
        String json = JsonWriter.compact(CgroupStats.read(dirs, t, List.of("2MB")));
        assertEquals(
                "{\"cpu\":{\"usage\":{\"total\":1500000,\"kernel\":500000,\"user\":1000000},"
                        + "\"throttling\":{\"periods\":4,\"throttledPeriods\":1,\"throttledTime\":7000},"
                        + "\"psi\":{\"some\":{\"avg10\":1.5,\"avg60\":0,\"avg300\":0,\"total\":42}}},"
                        + "\"cpuset\":{\"cpu_exclusive\":0,\"mem_hardwall\":0,\"mem_exclusive\":0,\"memory_migrate\":0,"
                        + "\"memory_spread_page\":0,\"memory_spread_slab\":0,\"memory_pressure\":0,\"sched_load_balance\":0,"
                        + "\"sched_relax_domain_level\":0},"
                        + "\"memory\":{\"cache\":200,\"usage\":{\"limit\":1000,\"usage\":300,\"max\":400,\"failcnt\":0},"
                        + "\"swap\":{\"limit\":18446744073709551615,\"usage\":310,\"failcnt\":0},"
                        + "\"raw\":{\"anon\":100,\"file\":200}},"
                        + "\"pids\":{\"current\":2,\"limit\":100},"
                        + "\"blkio\":{\"ioServiceBytesRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":4096},"
                        + "{\"major\":8,\"op\":\"Write\",\"value\":8192}],"
                        + "\"ioServicedRecursive\":[{\"major\":8,\"op\":\"Read\",\"value\":1},"
                        + "{\"major\":8,\"op\":\"Write\",\"value\":2}]},"
                        + "\"hugetlb\":{\"2MB\":{\"failcnt\":0}},"
                        + "\"intel_rdt\":{},\"network_interfaces\":null}",
                json);
    }

    @Test
    void eventLines() {
        assertEquals(
                "{\"type\":\"stats\",\"id\":\"c1\",\"data\":{}}",
                JsonWriter.compact(CgroupStats.event("stats", "c1", Map.of())));
        assertEquals("{\"type\":\"oom\",\"id\":\"c1\"}", JsonWriter.compact(OomCounter.event("c1")));
    }

    @Test
    void cpusetLists() {
        assertEquals(List.of(0L, 1L, 2L, 3L, 7L), CgroupStats.idList("0-3,7"));
        assertEquals(List.of(), CgroupStats.idList(""));
    }
}
