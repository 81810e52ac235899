package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What the systemd cgroup driver stands on, read back from the guest of scripts/systemd-guest.sh, where
 * scripts/test-systemd.sh runs the {@code systemd} group once per cgroup layout (the group is left out of `mvn verify`:
 * systemd is not PID 1 on this project's hosts). JRUNC_TEST_SYSTEMD_CGROUP names the layout the guest was booted with
 * (v2 or hybrid). It proves the harness before any driver code runs: systemd is init, the system bus answers for it, a
 * transient scope made through the bus lands where the driver will look for it with its limits applied, and jrunc runs
 * a container next to systemd.
 */
@Tag("systemd")
class SystemdGuestTest extends SpecTest {
    static final String MODE = System.getenv("JRUNC_TEST_SYSTEMD_CGROUP");
    static final String SLICE = "sdguest-probe.slice";
    // systemd nests a dashed slice name in its prefixes' slices, as the driver must when it names a scope's cgroup
    static final String SLICE_PATH = "/sdguest.slice/" + SLICE;

    @BeforeEach
    void requireTheGuest() {
        Assumptions.assumeTrue(
                MODE != null, "JRUNC_TEST_SYSTEMD_CGROUP (scripts/test-systemd.sh sets it in the systemd guest)");
    }

    @Test
    void pid1IsSystemd() throws IOException {
        assertEquals("systemd", Files.readString(Path.of("/proc/1/comm")).trim());
        Path exe = Files.readSymbolicLink(Path.of("/proc/1/exe"));
        assertTrue(exe.endsWith("lib/systemd/systemd"), "PID 1 runs " + exe);
    }

    /** The driver's path to systemd: the system bus's socket, its daemon, and systemd's name on it owned by PID 1. */
    @Test
    void theSystemBusAnswersForSystemd() throws IOException {
        assertTrue(Files.exists(Path.of("/run/dbus/system_bus_socket")), "/run/dbus/system_bus_socket");
        String daemon = busctl(
                "call",
                "org.freedesktop.DBus",
                "/org/freedesktop/DBus",
                "org.freedesktop.DBus",
                "GetConnectionUnixProcessID",
                "s",
                "org.freedesktop.DBus");
        assertEquals(
                "dbus-daemon",
                Files.readString(Path.of("/proc", daemon.split(" ")[1], "comm")).trim());
        assertEquals(
                "u 1",
                busctl(
                        "call",
                        "org.freedesktop.DBus",
                        "/org/freedesktop/DBus",
                        "org.freedesktop.DBus",
                        "GetConnectionUnixProcessID",
                        "s",
                        "org.freedesktop.systemd1"));
        // systemd 252's version string, as the manager reports it over the bus and as the binary prints it
        String version = busctl(
                "get-property",
                "org.freedesktop.systemd1",
                "/org/freedesktop/systemd1",
                "org.freedesktop.systemd1.Manager",
                "Version");
        String printed = run(List.of("/lib/systemd/systemd", "--version"))
                .lines()
                .findFirst()
                .orElseThrow();
        assertEquals("s \"" + printed.replaceAll("^systemd \\d+ \\((.*)\\)$", "$1") + "\"", version);
    }

    @Test
    void theCgroupLayoutIsTheRequestedOne() {
        Path root = CgroupFs.ROOT;
        if (MODE.equals("v2")) {
            assertTrue(CgroupFs.v2Only(), "cgroup2 at /sys/fs/cgroup");
            String enabled = CgroupFs.read(root.resolve("cgroup.subtree_control"));
            assertTrue(enabled.contains("memory") && enabled.contains("pids"), "root subtree_control: " + enabled);
        } else {
            assertEquals("hybrid", MODE);
            assertFalse(CgroupFs.v2Only(), "no cgroup2 at /sys/fs/cgroup");
            assertEquals("", CgroupFs.read(root.resolve("unified/cgroup.controllers")), "controllers on cgroup2");
            assertTrue(Files.exists(root.resolve("memory/memory.limit_in_bytes")), "the v1 memory hierarchy");
            assertTrue(Files.exists(root.resolve("pids/tasks")), "the v1 pids hierarchy");
        }
    }

    /**
     * A transient scope with limits, made as the driver makes one (systemd-run --scope asks systemd over the bus to
     * start a scope unit holding its own PID): its cgroup is the slice's path plus the unit, in systemd's own
     * hierarchy and in each limited controller's, the limits are in the kernel's files, and stopping the unit removes
     * the cgroup.
     */
    @Test
    void aTransientScopeGetsItsCgroupAndLimits() throws Exception {
        String unit = uniqueId("probe") + ".scope";
        String path = SLICE_PATH + "/" + unit;
        Process scope = new ProcessBuilder(
                        "systemd-run",
                        "--scope",
                        "--quiet",
                        "--unit=" + unit,
                        "--slice=" + SLICE,
                        "-p",
                        "MemoryMax=64M",
                        "-p",
                        "TasksMax=33",
                        "sleep",
                        "600")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .start();
        try {
            awaitExec(scope, "sleep");
            Map<String, String> cgroups = cgroupsOf(scope.pid());
            assertEquals(path, cgroups.get(""), "the cgroup2 path systemd tracks the scope by: " + cgroups);
            assertEquals(
                    "o \"/org/freedesktop/systemd1/unit/" + busLabel(unit) + "\"",
                    busctl(
                            "call",
                            "org.freedesktop.systemd1",
                            "/org/freedesktop/systemd1",
                            "org.freedesktop.systemd1.Manager",
                            "GetUnitByPID",
                            "u",
                            Long.toString(scope.pid())));
            String memoryFile;
            String pidsFile;
            if (MODE.equals("v2")) {
                memoryFile = "/sys/fs/cgroup" + path + "/memory.max";
                pidsFile = "/sys/fs/cgroup" + path + "/pids.max";
            } else {
                for (String hierarchy : List.of("name=systemd", "memory", "pids")) {
                    assertEquals(path, cgroups.get(hierarchy), hierarchy + " in " + cgroups);
                }
                memoryFile = "/sys/fs/cgroup/memory" + path + "/memory.limit_in_bytes";
                pidsFile = "/sys/fs/cgroup/pids" + path + "/pids.max";
            }
            assertEquals(Long.toString(64L << 20), CgroupFs.read(Path.of(memoryFile)));
            assertEquals("33", CgroupFs.read(Path.of(pidsFile)));

            run(List.of("systemctl", "stop", unit, "sdguest.slice"));
            assertTrue(scope.waitFor(30, TimeUnit.SECONDS), "stopping the scope ends its process");
            assertFalse(Files.exists(Path.of(memoryFile).getParent()), "stopping the unit removes " + path);
        } finally {
            scope.destroyForcibly();
            Jrunc.raw(List.of("systemctl", "stop", unit, "sdguest.slice"), Map.of(), null, 30);
        }
    }

    /** jrunc's own cgroup handling next to systemd: the container's cgroup is made, holds it, and goes with it. */
    @Test
    void jruncRunsAContainerBesideSystemd() throws Exception {
        String id = uniqueId("sdguest");
        Path b = bundle("sh", "-c", "echo pid $$; sleep 600").write();
        jrunc.run("run", "-d", "--bundle", b.toString(), id).ok();
        String pid = Bundle.parse(jrunc.run("state", id).ok().out()).get("pid").asText();
        Path memory = CgroupFs.dir("memory", id);
        assertTrue(
                Files.readString(memory.resolve("cgroup.procs")).lines().anyMatch(pid::equals),
                "the container's init " + pid + " is in " + memory);
        jrunc.run("delete", "--force", id).ok();
        assertFalse(Files.exists(memory), memory + " removed with the container");
        assertNothingLeft();

        Jrunc.Result run = jrunc.run(
                "run",
                "--bundle",
                bundle("sh", "-c", "echo pid $$; exit 7").write().toString(),
                uniqueId("sdguest"));
        assertEquals(7, run.exit(), run.err());
        assertEquals("pid 1", run.out().trim());
        assertNothingLeft();
    }

    /** /proc/PID/cgroup as hierarchy (controllers, name=..., or "" for cgroup2) to path. */
    private static Map<String, String> cgroupsOf(long pid) throws IOException {
        Map<String, String> byHierarchy = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/cgroup"))) {
            String[] f = line.split(":", 3);
            for (String controller : f[1].split(",")) {
                byHierarchy.put(controller, f[2]);
            }
        }
        return byHierarchy;
    }

    /** systemd-run execs the command once the scope holds its PID. */
    private static void awaitExec(Process p, String command) throws Exception {
        Path comm = Path.of("/proc/" + p.pid() + "/comm");
        for (int i = 0; i < 600 && p.isAlive(); i++) {
            if (Files.readString(comm).trim().equals(command)) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("systemd-run did not start " + command + " in its scope (alive: " + p.isAlive() + ")");
    }

    /** sd-bus's escaping of a unit name into an object path label. */
    private static String busLabel(String unit) {
        StringBuilder label = new StringBuilder();
        for (char c : unit.toCharArray()) {
            label.append(Character.isLetterOrDigit(c) ? String.valueOf(c) : String.format("_%02x", (int) c));
        }
        return label.toString();
    }

    private static String busctl(String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("busctl", "--system"));
        cmd.addAll(List.of(args));
        return run(cmd).trim();
    }

    private static String run(List<String> cmd) {
        Jrunc.Result r = Jrunc.raw(cmd, Map.of(), null, 60);
        assertEquals(0, r.exit(), cmd + ": " + r.err());
        return r.out();
    }
}
