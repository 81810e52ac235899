package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * cgroups on this project's hybrid hosts: v1 controllers at /sys/fs/cgroup/CTRL, cgroup2 (freeze, kill, hugetlb) at
 * /sys/fs/cgroup/unified. Every limit is read back from the kernel's files; pause, update, ps, events and kill --all
 * are exercised on a running container.
 */
class CgroupV1Test extends SpecTest {
    static final Path V1 = Path.of("/sys/fs/cgroup");

    @BeforeEach
    void requireV1() {
        Assumptions.assumeTrue(Files.isDirectory(V1.resolve("memory")) && Files.isDirectory(V1.resolve("pids")),
                "a v1 memory and pids hierarchy");
    }

    private static String read(String controller, String id, String file) throws Exception {
        return Files.readString(V1.resolve(controller).resolve("jrunc").resolve(id).resolve(file)).trim();
    }

    private String runDetached(Bundle b, String id) {
        jrunc.run("run", "-d", "-b", b.write().toString(), id).ok();
        return id;
    }

    private JsonNode state(String id) {
        return Bundle.parse(jrunc.run("state", id).ok().out());
    }

    @Test
    void limitsAreWrittenToTheV1Files() throws Exception {
        Bundle b = bundle("sleep", "1000");
        ObjectNode r = b.linux().putObject("resources");
        r.putObject("memory").put("limit", 64L << 20).put("reservation", 32L << 20).put("swappiness", 10);
        r.putObject("cpu").put("shares", 512).put("quota", 50000).put("period", 100000).put("cpus", "0");
        r.putObject("pids").put("limit", 42);
        r.putArray("devices").addObject().put("allow", false).put("access", "rwm");
        String id = runDetached(b, uniqueId("v1"));
        assertEquals(Long.toString(64L << 20), read("memory", id, "memory.limit_in_bytes"));
        assertEquals(Long.toString(32L << 20), read("memory", id, "memory.soft_limit_in_bytes"));
        assertEquals("10", read("memory", id, "memory.swappiness"));
        assertEquals("512", read("cpu", id, "cpu.shares"));
        assertEquals("50000", read("cpu", id, "cpu.cfs_quota_us"));
        assertEquals("100000", read("cpu", id, "cpu.cfs_period_us"));
        assertEquals("0", read("cpuset", id, "cpuset.cpus"));
        assertEquals("42", read("pids", id, "pids.max"));
        String devices = read("devices", id, "devices.list");
        assertTrue(devices.contains("c 1:3 rwm") && devices.contains("c 136:* rwm") && !devices.contains("a *:* rwm"),
                devices);
        int pid = state(id).get("pid").asInt();
        String cgroup = Files.readString(Path.of("/proc/" + pid + "/cgroup"));
        assertTrue(cgroup.contains("memory:/jrunc/" + id), "the container process is in its cgroup: " + cgroup);
        jrunc.run("delete", "-f", id).ok();
        assertNothingLeft();
    }

    @Test
    void pidsLimitStopsTheEleventhFork() throws Exception {
        // sh and 9 sleeps fill pids.max 10; the 10th background fork fails (and busybox sh gives up on it)
        Bundle b = bundle("sh", "-c", "i=0; while [ $i -lt 14 ]; do sleep 30 & i=$((i+1)); done");
        b.linux().putObject("resources").putObject("pids").put("limit", 10);
        String id = uniqueId("pids");
        Jrunc.Result r = jrunc.run("run", "--keep", "-b", b.write().toString(), id);
        assertTrue(r.err().contains("can't fork"), "a fork beyond the limit failed: " + r.err());
        assertEquals("max 1", read("pids", id, "pids.events"), "the kernel counted exactly one refused fork");
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void memoryLimitOomKillsAndEventsReportIt() throws Exception {
        Bundle b = bundle("sh", "-c", "sleep 1; x=a; while true; do x=$x$x; done");
        b.linux().putObject("resources").putObject("memory").put("limit", 16L << 20).put("swap", 16L << 20);
        String id = runDetached(b, uniqueId("oom"));
        Jrunc.Result events = Jrunc.raw(java.util.List.of(Jrunc.binary().toString(), "--root", jrunc.root().toString(),
                "events", "--interval", "100ms", id), Map.of(), null, 60);
        assertTrue(events.out().lines().anyMatch(l -> l.contains("\"type\":\"oom\"")), "oom event: " + events.out());
        assertEquals("stopped", state(id).get("status").asText());
        jrunc.run("delete", id).ok();
    }

    @Test
    void pauseResumeUpdatePsEventsAndKillAll() throws Exception {
        Bundle b = bundle("sh", "-c", "sleep 1000 & sleep 1000 & wait");
        String id = runDetached(b, uniqueId("ops"));
        jrunc.run("pause", id).ok();
        assertEquals("paused", state(id).get("status").asText());
        assertEquals("FROZEN", read("freezer", id, "freezer.state"));
        assertTrue(jrunc.run("resume", id).ok().err().isEmpty());
        assertEquals("running", state(id).get("status").asText());
        assertTrue(jrunc.run("resume", id).fails().err().contains("not paused"));

        JsonNode pids = Bundle.parse(jrunc.run("ps", "--format", "json", id).ok().out());
        assertEquals(3, pids.size(), pids.toString());
        assertTrue(jrunc.run("ps", id).ok().out().startsWith("UID"));

        Path res = tmp.resolve("res.json");
        Files.writeString(res, "{\"memory\":{\"limit\":100000000},\"pids\":{\"limit\":50}}");
        jrunc.run("update", "--resources", res.toString(), id).ok();
        assertEquals("99999744", read("memory", id, "memory.limit_in_bytes"), "rounded to pages by the kernel");
        assertEquals("50", read("pids", id, "pids.max"));
        jrunc.exec(Map.of(), "{\"pids\":{\"limit\":60}}".getBytes(StandardCharsets.UTF_8), "update", "--resources", "-",
                id).ok();
        assertEquals("60", read("pids", id, "pids.max"));
        jrunc.run("update", "--pids-limit", "70", "--memory", "200m", "--cpu-share", "256", id).ok();
        assertEquals("70", read("pids", id, "pids.max"));
        assertEquals(Long.toString(200L << 20), read("memory", id, "memory.limit_in_bytes"));
        assertEquals("256", read("cpu", id, "cpu.shares"));

        JsonNode stats = Bundle.parse(jrunc.run("events", "--stats", id).ok().out());
        assertEquals("stats", stats.get("type").asText());
        assertEquals(id, stats.get("id").asText());
        assertEquals(3, stats.get("data").get("pids").get("current").asInt());
        assertTrue(stats.get("data").get("memory").get("usage").get("usage").asLong() > 0);

        jrunc.run("kill", "--all", id, "KILL").ok();
        for (int i = 0; i < 100 && !state(id).get("status").asText().equals("stopped"); i++) {
            Thread.sleep(20);
        }
        assertEquals("", read("pids", id, "cgroup.procs"), "every process is gone");
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }

    @Test
    void tinyMemoryLimitsStillStart() {
        // the init JVM is never charged to the container's cgroup, so the limit only has to fit the process itself
        for (long limit : new long[] {4L << 20, 2L << 20, 1L << 20}) {
            Bundle b = bundle("true");
            b.linux().putObject("resources").putObject("memory").put("limit", limit);
            Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("tiny"));
            assertEquals(0, r.exit(), (limit >> 10) + " KiB: " + r.err());
        }
    }

    @Test
    void badResourcesAreRefusedAndLeaveNothing() throws Exception {
        String[][] cases = {
            {"{\"memory\":{\"limit\":-5}}", "memory.limit"},
            {"{\"unified\":{\"bogus.key\":\"1\"}}", "bogus.key"},
            {"{\"devices\":[{\"allow\":true,\"type\":\"x\",\"access\":\"rwm\"}]}", "devices[0]"},
            {"{\"devices\":[{\"allow\":true,\"type\":\"c\",\"access\":\"rwz\"}]}", "access"},
        };
        for (String[] c : cases) {
            Bundle b = bundle("true");
            b.linux().set("resources", Bundle.JSON.readTree(c[0]));
            Jrunc.Result r = jrunc.run("create", "-b", b.write().toString(), uniqueId("badres")).fails();
            assertEquals(1, r.err().trim().lines().count(), r.err());
            assertTrue(r.err().contains(c[1]), c[0] + " -> " + r.err());
            assertNothingLeft();
        }
    }

    @Test
    void cgroupV2FreezeAndKillWorkOnTheUnifiedHierarchy() throws Exception {
        Path unified = V1.resolve("unified");
        Assumptions.assumeTrue(Files.exists(unified.resolve("cgroup.procs")), "a cgroup2 mount at /sys/fs/cgroup/unified");
        String id = runDetached(bundle("sh", "-c", "sleep 1000 & wait"), uniqueId("v2core"));
        Path dir = unified.resolve("jrunc").resolve(id);
        for (int i = 0; i < 100 && Files.readString(dir.resolve("cgroup.procs")).lines().count() < 2; i++) {
            Thread.sleep(20);
        }
        assertTrue(Files.readString(dir.resolve("cgroup.procs")).lines().count() >= 2);
        Files.writeString(dir.resolve("cgroup.freeze"), "1");
        for (int i = 0; i < 100 && !Files.readString(dir.resolve("cgroup.events")).contains("frozen 1"); i++) {
            Thread.sleep(10);
        }
        assertTrue(Files.readString(dir.resolve("cgroup.events")).contains("frozen 1"));
        Files.writeString(dir.resolve("cgroup.freeze"), "0");
        jrunc.run("kill", "--all", id, "9").ok();
        for (int i = 0; i < 100 && !Files.readString(dir.resolve("cgroup.procs")).isBlank(); i++) {
            Thread.sleep(20);
        }
        assertEquals("", Files.readString(dir.resolve("cgroup.procs")).trim());
        jrunc.run("delete", id).ok();
        assertNothingLeft();
    }
}
