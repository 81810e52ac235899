package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** `features`, `--version` and `checkpoint --help`, which containerd and podman use to probe the runtime. */
class FeaturesAndVersionTest extends SpecTest {
    @Test
    void featuresAreTruthful() {
        JsonNode f = Bundle.parse(jrunc.run("features").ok().out());
        assertEquals("1.0.0", f.get("ociVersionMin").asText());
        assertEquals(6, f.get("hooks").size());
        assertTrue(f.get("mountOptions").toString().contains("rro"));
        JsonNode linux = f.get("linux");
        assertTrue(linux.get("namespaces").toString().contains("\"user\""));
        assertTrue(linux.get("capabilities").toString().contains("CAP_SYS_ADMIN"));
        assertTrue(linux.get("seccomp").get("enabled").asBoolean());
        assertTrue(linux.get("seccomp").get("actions").toString().contains("SCMP_ACT_NOTIFY"));
        assertTrue(linux.get("cgroup").get("systemd").asBoolean(), "the systemd driver (system bus)");
        assertFalse(linux.get("cgroup").get("systemdUser").asBoolean(), "no driver on a user's bus");
        assertFalse(linux.get("apparmor").get("enabled").asBoolean(), "AppArmor is not applied by jrunc");
        // MOUNT_ATTR_IDMAP: Linux 5.12 (RootfsTest's idmap cases show it works); fails on 17985a3, which said false
        String[] release = System.getProperty("os.version").split("[.-]");
        boolean idmapKernel = Integer.parseInt(release[0]) > 5
                || (Integer.parseInt(release[0]) == 5 && Integer.parseInt(release[1]) >= 12);
        assertEquals(
                idmapKernel,
                linux.get("mountExtensions").get("idmap").get("enabled").asBoolean());
        assertTrue(
                f.get("mountOptions").toString().contains("\"ridmap\""),
                f.get("mountOptions").toString());
        assertEquals(
                "false",
                f.get("annotations")
                        .get("org.opencontainers.runc.checkpoint.enabled")
                        .asText());
    }

    /**
     * Every memory policy mode and flag `features` reports starts a container (with node 0, which every NUMA kernel
     * has), and it reports every one this 6.x kernel has. Fails on 17985a3: no linux.memoryPolicy in the report.
     */
    @Test
    void everyMemoryPolicyReportedWorks() {
        JsonNode mpol =
                Bundle.parse(jrunc.run("features").ok().out()).get("linux").get("memoryPolicy");
        assertEquals(7, mpol.get("modes").size(), mpol.toString());
        assertEquals(3, mpol.get("flags").size(), mpol.toString());
        for (JsonNode mode : mpol.get("modes")) {
            boolean noNodes =
                    mode.asText().equals("MPOL_DEFAULT") || mode.asText().equals("MPOL_LOCAL");
            runsWith(mode.asText(), noNodes ? "" : "0", null);
        }
        for (JsonNode flag : mpol.get("flags")) {
            runsWith("MPOL_BIND", "0", flag.asText());
        }
    }

    private void runsWith(String mode, String nodes, String flag) {
        Bundle b = bundle("true");
        ObjectNode m = b.linux().putObject("memoryPolicy").put("mode", mode).put("nodes", nodes);
        if (flag != null) {
            m.putArray("flags").add(flag);
        }
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("mpol"));
        assertEquals(0, r.exit(), mode + " " + flag + ": " + r.err());
    }

    @Test
    void versionInRuncsLayout() {
        String v = jrunc.run("--version").ok().out();
        assertTrue(v.startsWith("jrunc version "), v);
        assertTrue(v.contains("\nspec: 1."), v);
        assertTrue(v.contains("\ncommit: "), v);
    }

    @Test
    void checkpointSaysItCannot() {
        assertTrue(jrunc.run("checkpoint", "--help").exit() != 0, "podman reads a non-zero exit as no checkpoint");
        assertTrue(jrunc.run("checkpoint", "x").fails().err().contains("not supported"));
    }

    /** As with runc, `COMMAND --help` prints the command's usage on stdout and exits 0; only checkpoint refuses. */
    @Test
    void everyOtherCommandAnswersHelp() {
        for (String cmd : new String[] {
            "create",
            "start",
            "state",
            "kill",
            "delete",
            "run",
            "exec",
            "list",
            "ps",
            "pause",
            "resume",
            "update",
            "events",
            "features",
            "spec",
            "mount",
            "umount",
            "pull",
            "cache"
        }) {
            Jrunc.Result r = jrunc.run(cmd, "--help");
            assertEquals(0, r.exit(), cmd + " --help: " + r.err());
            assertTrue(r.out().startsWith("Usage: jrunc " + cmd), cmd + " --help: " + r.out());
        }
    }
}
