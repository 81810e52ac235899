package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The systemd cgroup driver (--systemd-cgroup) where systemd is PID 1: the systemd guest (tag systemd), on cgroup v2
 * and on hybrid v1. Each container is a transient scope: what systemd shows of it (systemctl show) and what the kernel
 * shows (/proc/PID/cgroup, the limit files) are read back through create, exec, ps, events --stats, pause, resume,
 * update, kill --all and delete. Few containers: a JVM start costs seconds in the emulated guest.
 */
@Tag("systemd")
class SystemdCgroupTest extends SpecTest {
    private static final Path CGROUP = Path.of("/sys/fs/cgroup");

    @BeforeEach
    void requireSystemd() throws Exception {
        Assumptions.assumeTrue(Files.readString(Path.of("/proc/1/comm")).trim().equals("systemd"), "systemd is PID 1");
    }

    private Jrunc.Result sd(String... args) {
        String[] all = new String[args.length + 1];
        all[0] = "--systemd-cgroup";
        System.arraycopy(args, 0, all, 1, args.length);
        return jrunc.run(all);
    }

    /** The unit's directory in each hierarchy that holds it ("" for v2's only one). */
    private static List<Path> dirs(String cgroupPath) throws Exception {
        List<Path> out = new ArrayList<>();
        if (CgroupFs.v2Only()) {
            out.add(CGROUP.resolve(cgroupPath.substring(1)));
            return out;
        }
        try (var s = Files.list(CGROUP)) {
            for (Path h : (Iterable<Path>) s::iterator) {
                out.add(h.resolve(cgroupPath.substring(1)));
            }
        }
        return out;
    }

    private static String limit(String v2File, String v1Controller, String v1File, String cgroupPath) {
        Path f = CgroupFs.v2Only()
                ? CGROUP.resolve(cgroupPath.substring(1)).resolve(v2File)
                : CGROUP.resolve(v1Controller).resolve(cgroupPath.substring(1)).resolve(v1File);
        return CgroupFs.read(f).trim();
    }

    private String status(String id) {
        return Bundle.parse(jrunc.run("state", id).ok().out()).get("status").asText();
    }

    @Test
    void aContainerIsATransientScopeThroughItsWholeLife() throws Exception {
        String id = uniqueId("sd");
        String unit = "sdtest-" + id + ".scope";
        String cgroupPath = "/jrunc.slice/jrunc-test.slice/" + unit;
        Bundle b = bundle("sleep", "1000");
        b.linux().put("cgroupsPath", "jrunc-test.slice:sdtest:" + id);
        ObjectNode r = b.linux().putObject("resources");
        r.putObject("memory").put("limit", 64L << 20);
        r.putObject("pids").put("limit", 50);
        r.putObject("cpu").put("shares", 512).put("quota", 50_000).put("period", 100_000);
        boolean v2 = CgroupFs.v2Only();

        sd("create", "-b", b.write().toString(), id).ok();
        assertEquals("active", Systemctl.show(unit, "ActiveState"));
        assertEquals("jrunc-test.slice", Systemctl.show(unit, "Slice"));
        assertEquals("yes", Systemctl.show(unit, "Delegate"));
        assertEquals(Long.toString(64L << 20), Systemctl.show(unit, v2 ? "MemoryMax" : "MemoryLimit"));
        assertEquals("50", Systemctl.show(unit, "TasksMax"));
        assertEquals("500ms", Systemctl.show(unit, "CPUQuotaPerSecUSec"));
        int pid = Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asInt();
        // in every hierarchy, the scope: systemd's (the PIDs of the unit) and, on v1, jrunc's (freezer, cpuset...)
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            assertTrue(line.endsWith(":" + cgroupPath), line);
        }
        assertEquals(Long.toString(64L << 20), limit("memory.max", "memory", "memory.limit_in_bytes", cgroupPath));
        assertEquals("50", limit("pids.max", "pids", "pids.max", cgroupPath));
        if (v2) {
            assertEquals("50000 100000", limit("cpu.max", null, null, cgroupPath));
            assertEquals("59", limit("cpu.weight", null, null, cgroupPath), "512 shares, converted");
        } else {
            assertEquals("50000", limit(null, "cpu,cpuacct", "cpu.cfs_quota_us", cgroupPath));
            assertEquals("512", limit(null, "cpu,cpuacct", "cpu.shares", cgroupPath));
        }

        sd("start", id).ok();
        // exec joins the cgroup namespace the init made in the scope: the scope is its root everywhere
        for (String line : sd("exec", id, "cat", "/proc/self/cgroup").ok().out().split("\n")) {
            assertTrue(line.endsWith(":/"), line);
        }
        assertTrue(sd("ps", id).ok().out().contains(" " + pid + " "), "ps lists the init");
        JsonNode stats = Bundle.parse(sd("events", "--stats", id).ok().out());
        assertEquals(1, stats.get("data").get("pids").get("current").asInt(), stats.toString());
        assertTrue(stats.get("data").get("memory").get("usage").get("usage").asLong() > 0, stats.toString());

        sd("pause", id).ok();
        assertEquals("paused", status(id));
        sd("resume", id).ok();
        assertEquals("running", status(id));

        sd("update", "--memory", Long.toString(128L << 20), "--pids-limit", "70", id)
                .ok();
        assertEquals(Long.toString(128L << 20), Systemctl.show(unit, v2 ? "MemoryMax" : "MemoryLimit"));
        assertEquals("70", Systemctl.show(unit, "TasksMax"));
        assertEquals(Long.toString(128L << 20), limit("memory.max", "memory", "memory.limit_in_bytes", cgroupPath));
        assertEquals("70", limit("pids.max", "pids", "pids.max", cgroupPath));

        sd("kill", "--all", id, "KILL").ok();
        for (int i = 0; i < 200 && !status(id).equals("stopped"); i++) {
            Thread.sleep(50);
        }
        assertEquals("stopped", status(id));
        sd("delete", id).ok();
        assertEquals("not-found", Systemctl.show(unit, "LoadState"));
        for (Path d : dirs(cgroupPath)) {
            assertFalse(Files.exists(d), d + " is left");
        }
        assertNothingLeft();
    }

    @Test
    void withoutCgroupsPathTheScopeIsJruncIdInTheSystemSlice() throws Exception {
        String id = uniqueId("sd");
        String unit = "jrunc-" + id + ".scope";
        Bundle b = bundle("sh", "-c", "cat /proc/self/cgroup");
        b.linux().remove("cgroupsPath");

        sd("create", "-b", b.write().toString(), id).ok();
        assertEquals("active", Systemctl.show(unit, "ActiveState"));
        assertEquals("system.slice", Systemctl.show(unit, "Slice"));
        sd("delete", "--force", id).ok();
        assertEquals("not-found", Systemctl.show(unit, "LoadState"));
        for (Path d : dirs("/system.slice/" + unit)) {
            assertFalse(Files.exists(d), d + " is left");
        }
        assertNothingLeft();
    }

    @Test
    void aCgroupsPathNotInSlicePrefixNameFormIsRefusedInOneLine() throws Exception {
        Bundle b = bundle("true");
        b.linux().put("cgroupsPath", "jrunc-test.slice:only-two");
        Jrunc.Result r = sd("create", "-b", b.write().toString(), "bad").fails();
        assertTrue(r.err().contains("linux.cgroupsPath") && r.err().contains("slice:prefix:name"), r.err());
        assertEquals(1, r.err().trim().split("\n").length, r.err());
        assertEquals("not-found", Systemctl.show("only-two.scope", "LoadState"));
        assertNothingLeft();
    }
}
