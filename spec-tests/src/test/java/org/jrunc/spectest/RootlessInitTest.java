package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the init does where it has no root of the initial user namespace, as in podman's rootless mode (uid 0 in a
 * user namespace podman made) or a container with a user namespace of its own: sysfs when the namespace cannot mount
 * one, uid=/gid= mount options it cannot apply; and the loopback device of a new network namespace, which podman's
 * `--network none` relies on. Run as root with a user namespace in config.json; PodmanRootlessE2ETest runs the
 * podman side as the unprivileged user.
 */
class RootlessInitTest extends SpecTest {
    /** TCP over the loopback device: a listener answers "pong" to the first client, which tries for 5 seconds. */
    private static final String LOOPBACK_PONG = "nc -l -p 7777 -e echo pong & s=$!; "
            + "for i in $(seq 50); do nc 127.0.0.1 7777 </dev/null 2>/dev/null && break; sleep 0.1; done; "
            + "kill $s 2>/dev/null; true";

    private static Bundle inUserNamespace(Bundle b, long size) {
        b.withUserNamespace(100000, size);
        return b;
    }

    /** fails on fbadc0c: lo stays down, "Network unreachable". */
    @Test
    void theLoopbackDeviceOfANewNetworkNamespaceIsUp() throws Exception {
        for (boolean userns : new boolean[] {false, true}) {
            Bundle b = bundle("sh", "-c", "cat /sys/class/net/lo/flags; " + LOOPBACK_PONG);
            if (userns) {
                inUserNamespace(b, 65536);
            }
            Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("lo"));
            assertEquals(0, r.exit(), r.err());
            List<String> lines = r.out().lines().toList();
            assertEquals(1, Long.decode(lines.get(0)) & 1, "IFF_UP (user namespace: " + userns + "): " + r.out());
            assertEquals("pong", lines.get(1), r.out());
        }
        assertNothingLeft();
    }

    /**
     * A user namespace without a network namespace of its own may not mount sysfs: the host's /sys, bound read-only
     * throughout (submounts too). Fails on fbadc0c: "mounts[5] /sys: mount sysfs ...: operation not permitted".
     */
    @Test
    void sysfsWithoutAnOwnedNetworkNamespaceIsTheHostsBoundReadOnly() throws Exception {
        Bundle b = inUserNamespace(bundle("sh", "-c", "ls /sys/class/net; grep ' /sys' /proc/self/mountinfo"), 65536)
                .withoutNamespace("network");
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("sysfs"));
        assertEquals(0, r.exit(), r.err());
        List<String> hostDevices;
        try (Stream<Path> s = Files.list(Path.of("/sys/class/net"))) {
            hostDevices = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        List<String> lines = r.out().lines().toList();
        assertEquals(hostDevices, lines.subList(0, hostDevices.size()), "the host's network devices: " + r.out());
        List<String> sysMounts = lines.subList(hostDevices.size(), lines.size());
        assertTrue(sysMounts.size() > 1, "the host's /sys with its submounts: " + r.out());
        for (String m : sysMounts) {
            String[] f = m.split(" ");
            if (f[4].equals("/sys/fs/cgroup") || f[4].startsWith("/sys/fs/cgroup/")) {
                continue; // the config's own cgroup mount, read-only by its options
            }
            assertTrue(List.of(f[5].split(",")).contains("ro"), "read-only: " + m);
            if (f[4].equals("/sys")) {
                assertTrue(List.of(f[5].split(",")).containsAll(List.of("nosuid", "nodev", "noexec")), m);
            }
        }
        assertNothingLeft();
    }

    /** fails on fbadc0c: the create failed at the mount, with a bare "operation not permitted". */
    @Test
    void aWritableSysfsThatCannotBeMountedIsRefusedInOneLine() throws Exception {
        Bundle b = inUserNamespace(bundle("true"), 65536).withoutNamespace("network");
        ArrayNode mounts = b.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            if (mounts.get(i).get("destination").asText().equals("/sys")) {
                ((ObjectNode) mounts.get(i))
                        .putArray("options")
                        .add("nosuid")
                        .add("noexec")
                        .add("nodev");
            }
        }
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("sysrw"));
        assertNotEquals(0, r.exit());
        assertTrue(r.err().contains("/sys: a new sysfs cannot be mounted"), r.err());
        assertTrue(r.err().contains("a read-only /sys (option \\\"ro\\\") would be bind-mounted"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertNothingLeft();
    }

    /**
     * devpts's gid=5 in a user namespace that maps root only: refused before anything is made, naming the mount, the
     * option and the ranges. Fails on fbadc0c: "mounts[2] /dev/pts: mount devpts ...: invalid argument".
     */
    @Test
    void aMountOptionIdTheUserNamespaceDoesNotMapIsRefusedInOneLine() throws Exception {
        Bundle b = inUserNamespace(bundle("true"), 1);
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("gid"));
        assertNotEquals(0, r.exit());
        assertTrue(
                r.err()
                        .contains("config.json: field mounts[2].options: \\\"gid=5\\\": gid 5 is not mapped in the "
                                + "container's user namespace (linux.uidMappings, linux.gidMappings) (gids 0)"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertNothingLeft();
        assertEquals(List.of(), stateEntries());
    }

    /** fails on fbadc0c: "sysctl net.ipv4.no_such_thing = 1: open /proc/sys/...: no such file or directory". */
    @Test
    void aSysctlTheKernelDoesNotHaveIsRefusedInWords() throws Exception {
        Bundle b = bundle("true");
        b.linux().putObject("sysctl").put("net.ipv4.no_such_thing", "1");
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("sysctl"));
        assertNotEquals(0, r.exit());
        assertTrue(
                r.err().contains("linux.sysctl \\\"net.ipv4.no_such_thing\\\": the kernel has no such sysctl"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertNothingLeft();
    }

    /**
     * net.core.rmem_max is the host's in every network namespace: a user namespace may not write it. Fails on fbadc0c:
     * "sysctl net.core.rmem_max = 300000: open ...: permission denied".
     */
    @Test
    void aSysctlTheUserNamespaceMayNotWriteIsRefusedInWords() throws Exception {
        Bundle b = inUserNamespace(bundle("true"), 65536);
        b.linux().putObject("sysctl").put("net.core.rmem_max", "300000");
        Jrunc.Result r = jrunc.run("run", "-b", b.write().toString(), uniqueId("sysctl"));
        assertNotEquals(0, r.exit());
        assertTrue(
                r.err()
                        .contains("linux.sysctl \\\"net.core.rmem_max\\\": not writable from the container's user "
                                + "namespace"),
                r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertNothingLeft();
    }
}
