package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.jrunc.sif.FsType;
import org.jrunc.sifbundle.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `jrunc mount` / `jrunc umount` as an unprivileged user ({@link UnprivilegedUser}): squashfuse and fuse-overlayfs
 * daemons of the user instead of loop devices, the image's files as the user's, a config.json for a rootless
 * container, and nothing left behind (no FUSE daemon of the user, no mount, no bundle directory) by umount or by a
 * failed mount. Errors name the path or the tool in one line.
 */
class RootlessSifTest extends SpecTest {
    private static final Set<String> FUSE_DAEMONS = Set.of("squashfuse", "fuse-overlayfs");

    private UnprivilegedUser user;
    private Path home;
    private Path image;
    private final List<Path> bundles = new ArrayList<>();

    @BeforeEach
    void setUpUser() throws IOException {
        for (String tool : List.of("squashfuse", "fuse-overlayfs", "fusermount3")) {
            assumeTrue(
                    Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool))),
                    tool + " not installed");
        }
        user = UnprivilegedUser.get();
        // JUnit's directory is root's (0700): the user passes through it into a directory of its own
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        home = user.own(Files.createDirectory(tmp.resolve("user")));
        image = user.own(Files.copy(SifMountTest.fixture(SifMountTest.BUSYBOX), home.resolve("busybox_amd64.sif")));
    }

    /** A failed test must not leave the user's mounts for the leftover check (or the host). */
    @AfterEach
    void umountWhatIsLeft() {
        for (Path b : bundles) {
            if (Files.exists(b.resolve(".jrunc-mount.json"))) {
                user.jrunc("umount", b.toString());
            }
        }
    }

    private Path newBundle(String name) {
        Path b = home.resolve(name);
        bundles.add(b);
        return b;
    }

    /** The user's FUSE daemons that are alive ("pid comm"); an exited one waiting for its reaper does not count. */
    private List<String> fuseDaemons() throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (!p.getFileName().toString().chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String comm = Files.readString(p.resolve("comm")).trim();
                    String status = Files.readString(p.resolve("status"));
                    if (FUSE_DAEMONS.contains(comm)
                            && status.contains("\nUid:\t" + user.uid + "\t")
                            && !status.contains("\nState:\tZ")) {
                        out.add(p.getFileName() + " " + comm);
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        }
        return out;
    }

    private void assertUserLeftNothing(Path bundle) throws IOException {
        assertEquals(List.of(), fuseDaemons(), "no FUSE daemon of the user");
        assertFalse(Files.exists(bundle), "the bundle directory mount made is gone");
        assertTrue(Files.exists(image), "the image stays");
        assertEquals(List.of(), SifMountTest.loopsOf(image));
        assertNothingLeft();
    }

    private static String oneLineError(Jrunc.Result r) {
        assertEquals(1, r.exit(), r.out() + r.err());
        String err = r.err().trim();
        assertEquals(1, err.lines().count(), "one line: " + err);
        return err;
    }

    /**
     * The Singularity-style flow as the user: mount, run the image's command from the bundle (state under the user's
     * $XDG_RUNTIME_DIR/jrunc), umount, nothing left. Fails on fbadc0c: no state directory the user could make.
     */
    @Test
    void theUserRunsTheMountedImageAndUmountLeavesNothing() throws Exception {
        Path b = newBundle("run-bundle");
        user.jrunc("mount", image.toString(), b.toString()).ok();
        com.fasterxml.jackson.databind.node.ObjectNode c = (com.fasterxml.jackson.databind.node.ObjectNode)
                Bundle.JSON.readTree(b.resolve("config.json").toFile());
        com.fasterxml.jackson.databind.node.ObjectNode process =
                (com.fasterxml.jackson.databind.node.ObjectNode) c.get("process");
        process.put("terminal", false);
        process.putArray("args").add("sh").add("-c").add("id -u; echo from-sif > /written; cat /written");
        user.run(
                List.of("sh", "-c", "cat > " + b.resolve("config.json")),
                Map.of(),
                Bundle.JSON.writeValueAsBytes(c),
                30);
        Jrunc.Result r = user.jrunc("run", "--bundle", b.toString(), uniqueId("sifrun"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("0\nfrom-sif\n", r.out());
        assertEquals("from-sif\n", Files.readString(b.resolve("overlay/upper/written")), "the write is in the upper");
        try (Stream<Path> left = Files.list(user.runtimeDir.resolve("jrunc"))) {
            assertEquals(List.of(), left.toList(), "no state left in $XDG_RUNTIME_DIR/jrunc");
        }
        user.jrunc("umount", b.toString()).ok();
        assertUserLeftNothing(b);
    }

    /**
     * fails on fbadc0c: the user could not write into the mounted image (its files kept root as their owner) and the
     * config had no user namespace.
     */
    @Test
    void theUserMountsWithFuseDaemonsOfItsOwnAndUmountLeavesNothing() throws Exception {
        Path b = newBundle("bundle");
        user.jrunc("mount", image.toString(), b.toString()).ok();
        assertEquals(List.of("fuse.squashfuse squashfuse"), SifMountTest.mountsOn(b.resolve("layers/0")));
        assertEquals(List.of("fuse.fuse-overlayfs fuse-overlayfs"), SifMountTest.mountsOn(b.resolve("rootfs")));
        assertEquals(List.of(), SifMountTest.loopsOf(image), "no loop device");
        assertEquals(2, fuseDaemons().size(), "squashfuse and fuse-overlayfs, run as the user: " + fuseDaemons());

        // the image's files, through the overlay, show as the user's (inside the container: its root's)
        Jrunc.Result owner = user.run(
                List.of("stat", "-c", "%u:%g", b.resolve("rootfs/bin/busybox").toString()), Map.of(), null, 30);
        assertEquals(user.uid + ":" + user.gid + "\n", owner.out(), owner.err());
        Jrunc.Result write =
                user.run(List.of("sh", "-c", "echo written > " + b.resolve("rootfs/from-user")), Map.of(), null, 30);
        assertEquals(0, write.exit(), write.err());
        assertEquals("written\n", Files.readString(b.resolve("overlay/upper/from-user")), "writes land in the upper");

        JsonNode linux = Bundle.JSON.readTree(b.resolve("config.json").toFile()).get("linux");
        assertEquals(
                "[{\"containerID\":0,\"hostID\":" + user.uid + ",\"size\":1}]",
                linux.get("uidMappings").toString());
        assertEquals(
                "[{\"containerID\":0,\"hostID\":" + user.gid + ",\"size\":1}]",
                linux.get("gidMappings").toString());
        assertEquals(
                "[{\"type\":\"pid\"},{\"type\":\"ipc\"},{\"type\":\"uts\"},{\"type\":\"mount\"},{\"type\":\"user\"}]",
                linux.get("namespaces").toString());
        assertFalse(linux.has("resources"), "no cgroup limits");

        user.jrunc("umount", b.toString()).ok();
        assertUserLeftNothing(b);
    }

    @Test
    void aFailedMountAsTheUserLeavesNothing() throws Exception {
        // squashfuse refuses the image: the directories made before it are removed
        Path corrupt = user.own(Files.copy(image, home.resolve("corrupt.sif")));
        byte[] bytes = Files.readAllBytes(corrupt);
        for (int i = 45056 + 4; i < 45056 + 96; i++) {
            bytes[i] = (byte) 0xff; // the squashfs superblock after its magic
        }
        Files.write(corrupt, bytes);
        Path b = newBundle("corrupt");
        String err = oneLineError(user.jrunc("mount", corrupt.toString(), b.toString()));
        assertTrue(err.contains("squashfuse") && err.contains(corrupt.toString()), err);
        assertUserLeftNothing(b);

        // refused once both FUSE mounts are up: they are unmounted with fusermount3 and their daemons end
        Path ghost = user.own(TestImages.nativeSif(
                home.resolve("ghost.sif"),
                FsType.SQUASHFS,
                SifMountTest.primaryPartition(image),
                "{\"User\":\"ghost\"}"));
        b = newBundle("ghost");
        err = oneLineError(user.jrunc("mount", ghost.toString(), b.toString()));
        assertTrue(
                err.contains(ghost + ": object 1 (oci-config.json): User")
                        && err.contains("in the image's /etc/passwd"),
                err);
        assertUserLeftNothing(b);
    }

    /** fails on fbadc0c: an inaccessible /dev/fuse was reported by squashfuse, in its own words, after mount began. */
    @Test
    void errorsNameThePathOrTheTool() throws Exception {
        Path b = newBundle("bundle");
        Path secret = Files.copy(image, tmp.resolve("secret.sif"));
        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertTrue(oneLineError(user.jrunc("mount", secret.toString(), b.toString()))
                .contains(secret + ": cannot open: permission denied"));

        Path rootsDir = Files.createDirectory(tmp.resolve("roots"));
        Path notWritable = rootsDir.resolve("bundle");
        assertTrue(oneLineError(user.jrunc("mount", image.toString(), notWritable.toString()))
                .contains("cannot create " + notWritable + ": permission denied"));

        // a PATH without the FUSE tools (bash alone, which bin/jrunc needs)
        Path bin = Files.createDirectory(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("bash"), Path.of("/bin/bash"));
        Jrunc.Result noTools = user.run(
                List.of(Jrunc.binary().toString(), "mount", image.toString(), b.toString()),
                Map.of("PATH", bin.toString()),
                null,
                120);
        assertTrue(oneLineError(noTools).contains("squashfuse not found on PATH"), noTools.err());

        // /dev/fuse covered by a file only root may open, in a mount namespace of this command only
        Path blocker = Files.createFile(tmp.resolve("no-fuse"));
        List<String> cmd = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "sh",
                "-c",
                "mount --bind \"$0\" /dev/fuse && exec \"$@\"",
                blocker.toString()));
        cmd.addAll(user.commandLine(
                List.of(Jrunc.binary().toString(), "mount", image.toString(), b.toString()), Map.of()));
        assertTrue(oneLineError(Jrunc.raw(cmd, Map.of(), null, 120))
                .endsWith("/dev/fuse: permission denied; squashfuse and fuse-overlayfs need to read and write it\""));
        assertUserLeftNothing(b);
    }
}
