package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.json.Json;
import org.jrunc.sif.FsType;
import org.jrunc.sif.SifImage;
import org.jrunc.sys.EffectiveIds;
import org.jrunc.sys.LoopDevices;
import org.jrunc.sys.RecordingSyscalls;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mount and umount end to end with the FUSE driver faked (no root needed): what is made and recorded, what a
 * failure at each stage leaves (nothing), and that umount takes it all away again.
 */
class SifBundleMounterTest {
    @TempDir
    Path tmp;

    private final FakeHost host = new FakeHost();
    private final FakeFuse fuse = new FakeFuse(host);
    private final RecordingSyscalls sys = new RecordingSyscalls();
    private Path bundle;
    private Path image;

    @BeforeEach
    void setUp() {
        bundle = tmp.resolve("bundle");
        // the image's files are read through the (fake) mounted rootfs: an empty one here
        sys.dir(bundle.resolve("rootfs").toString());
        image = TestImages.nativeSif(
                tmp.resolve("img.sif"),
                FsType.SQUASHFS,
                TestImages.fakeSquashfs(8192),
                "{\"Cmd\":[\"/bin/echo\",\"hi\"],\"Env\":[\"A=1\"],\"Volumes\":{\"/data\":{}}}");
    }

    private void mount(Path img) {
        mountAs(Caller.ROOT, img, true);
    }

    private void mountAs(Caller caller, Path img, boolean squashfuse) {
        new SifBundleMounter(sys, new LoopDevices(sys, tmp.resolve("no-dev"), tmp), fuse, host, caller)
                .mount(img, bundle, squashfuse);
    }

    private void umount() {
        new SifBundleUnmounter(sys, new LoopDevices(sys, tmp.resolve("no-dev"), tmp), fuse, host).umount(bundle);
    }

    private String mountFails(Path img) {
        String m = assertThrows(JruncException.class, () -> mount(img)).getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    private List<Path> tmpContent() throws IOException {
        try (var s = Files.walk(tmp)) {
            return s.map(tmp::relativize)
                    .filter(p -> !p.toString().isEmpty())
                    .sorted()
                    .toList();
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void mountMakesSingularitysLayoutAndUmountRemovesIt() throws IOException {
        mount(image);
        long offset = SifImage.open(image).primaryPartition().orElseThrow().offset();
        // FUSE lowers get their own directory (see MountDriver.stacksOnTarget)
        assertEquals(
                List.of("check", "squashfuse offset=" + offset + " img.sif 0", "fuse-overlayfs lowerdir=0 rootfs"),
                fuse.calls);
        for (String dir : List.of("rootfs", "layers/0", "overlay/upper", "overlay/work", "volumes/_data")) {
            assertTrue(Files.isDirectory(bundle.resolve(dir)), dir);
        }
        Map<String, Object> config = Json.parseObject(Files.readString(bundle.resolve("config.json")));
        Map<String, Object> process = (Map<String, Object>) config.get("process");
        assertEquals(List.of("/bin/echo", "hi"), process.get("args"));
        assertTrue(((List<String>) process.get("env")).contains("A=1"));
        assertEquals("rootfs", ((Map<String, Object>) config.get("root")).get("path"), "relative to the bundle");
        MountMarker marker = new MarkerFile(new BundleLayout(bundle)).read();
        assertEquals(image.toString(), marker.image());
        assertTrue(marker.createdBundle());
        assertEquals(
                List.of(
                        new Step.Dir(Path.of("rootfs")),
                        new Step.Tree(Path.of("layers")),
                        new Step.Mount(Path.of("layers/0"), FuseTools.SQUASHFUSE_TYPE, "squashfuse", true),
                        new Step.Tree(Path.of("overlay")),
                        new Step.Mount(Path.of("rootfs"), FuseTools.OVERLAY_TYPE, "fuse-overlayfs", true),
                        new Step.Tree(Path.of("volumes")),
                        new Step.File(Path.of("config.json"))),
                marker.steps());
        assertEquals(3, host.mountCount());

        Files.writeString(bundle.resolve("overlay/upper/written"), "x");
        umount();
        assertEquals(List.of(Path.of("img.sif")), tmpContent());
        assertEquals(1, host.mountCount());
    }

    @Test
    void severalLayersAreStackedFromLayersDirectories() {
        Path oci = TestImages.ociSif(
                tmp.resolve("oci.sif"),
                "{}",
                TestImages.Layer.squashfs(TestImages.fakeSquashfs(4096)),
                TestImages.Layer.squashfs(TestImages.fakeSquashfs(4096)));
        mount(oci);
        assertEquals("fuse-overlayfs lowerdir=1:0 rootfs", fuse.calls.get(3));
        assertTrue(
                fuse.calls.get(1).endsWith(" oci.sif 0") && fuse.calls.get(2).endsWith(" oci.sif 1"),
                fuse.calls.toString());
        umount();
        assertFalse(Files.exists(bundle));
    }

    @Test
    void aFailedOverlayIsRolledBack() throws IOException {
        fuse.failOn = "fuse-overlayfs";
        assertEquals("fuse-overlayfs failed (exit 1): fake failure", mountFails(image));
        assertEquals("fusermount -u 0", fuse.calls.get(fuse.calls.size() - 1));
        assertEquals(List.of(Path.of("img.sif")), tmpContent());
        assertEquals(1, host.mountCount());
    }

    @Test
    void anUnknownUserIsRolledBack() throws IOException {
        Path img = TestImages.nativeSif(
                tmp.resolve("user.sif"), FsType.SQUASHFS, TestImages.fakeSquashfs(4096), "{\"User\":\"ghost\"}");
        assertTrue(mountFails(img).endsWith("User \"ghost\": no user \"ghost\" in the image's /etc/passwd"));
        assertEquals(List.of(Path.of("img.sif"), Path.of("user.sif")), tmpContent());
        assertEquals(1, host.mountCount());
    }

    @Test
    void badInputIsRefusedBeforeAnythingIsMade() throws IOException {
        Path ext3 = TestImages.nativeSif(tmp.resolve("ext3.sif"), FsType.EXT3, new byte[4096], null);
        assertTrue(mountFails(ext3).contains("is Ext3 (fs type 2); only a squashfs root filesystem can be mounted"));
        assertEquals(
                "cannot open image " + tmp.resolve("none.sif") + ": no such file or directory",
                mountFails(tmp.resolve("none.sif")));
        bundle = tmp.resolve("a,b");
        assertTrue(mountFails(image).contains("bundle path contains ','"));
        bundle = tmp.resolve("no/parent");
        assertEquals("cannot create " + bundle + ": its parent directory does not exist", mountFails(image));
        assertEquals(List.of(), fuse.calls);
        assertEquals(List.of(Path.of("ext3.sif"), Path.of("img.sif")), tmpContent());
    }

    @Test
    void anExistingBundleMustNotHoldWhatMountMakes() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        assertEquals(
                bundle.resolve("rootfs") + " already exists; jrunc mount makes rootfs, overlay, volumes, layers"
                        + " and config.json itself and needs a bundle without them",
                mountFails(image));
        Files.delete(bundle.resolve("rootfs"));
        Files.writeString(bundle.resolve(".jrunc-mount.json"), "{}");
        assertEquals(
                bundle + ": already mounted (.jrunc-mount.json exists); run jrunc umount first", mountFails(image));
    }

    @Test
    void anExistingBundleAndItsFilesOutliveUmount() throws IOException {
        Files.createDirectories(bundle);
        Files.writeString(bundle.resolve("README"), "mine");
        mount(image);
        umount();
        assertEquals(List.of(Path.of("bundle"), Path.of("bundle/README"), Path.of("img.sif")), tmpContent());
    }

    @Test
    void umountRefusesADirectoryMountDidNotMake() throws IOException {
        Files.createDirectories(bundle.resolve("rootfs"));
        JruncException e = assertThrows(JruncException.class, this::umount);
        assertTrue(e.getMessage()
                .endsWith("no .jrunc-mount.json, so this is not a bundle made by jrunc mount;"
                        + " refusing to unmount or delete anything in it"));
        assertTrue(Files.isDirectory(bundle.resolve("rootfs")));
        bundle = tmp.resolve("missing");
        assertEquals(
                bundle + ": no such bundle directory",
                assertThrows(JruncException.class, this::umount).getMessage());
    }

    /**
     * fails on fbadc0c: squashfuse showed the image's owners (root, unmapped for the user's container) and the
     * config had no user namespace.
     */
    @Test
    @SuppressWarnings("unchecked")
    void anUnprivilegedCallerGetsFilesOfItsOwnAndARootlessConfig() throws IOException {
        Caller user = new Caller(new EffectiveIds(1001, 1002), "alice", Optional.empty(), Optional.empty());
        mountAs(user, image, false);
        long offset = SifImage.open(image).primaryPartition().orElseThrow().offset();
        assertEquals("squashfuse uid=1001,gid=1002,offset=" + offset + " img.sif 0", fuse.calls.get(1));
        Map<String, Object> linux =
                (Map<String, Object>) Json.parseObject(Files.readString(bundle.resolve("config.json")))
                        .get("linux");
        assertEquals(List.of(Map.of("containerID", 0L, "hostID", 1001L, "size", 1L)), linux.get("uidMappings"));
        umount();
        assertEquals(List.of(Path.of("img.sif")), tmpContent());

        // an image User the caller cannot map: refused after the mounts, which are undone
        Path nobody = TestImages.nativeSif(
                tmp.resolve("nobody.sif"), FsType.SQUASHFS, TestImages.fakeSquashfs(4096), "{\"User\":\"1000\"}");
        fuse.calls.clear();
        String m = assertThrows(JruncException.class, () -> mountAs(user, nobody, false))
                .getMessage();
        assertTrue(
                m.endsWith("runs as uid 1000, which an unprivileged user can map only from a subordinate range,"
                        + " and /etc/subuid has none for alice"),
                m);
        assertEquals("fusermount -u 0", fuse.calls.get(fuse.calls.size() - 1));
        assertEquals(List.of(Path.of("img.sif"), Path.of("nobody.sif")), tmpContent());
        assertEquals(1, host.mountCount());
    }
}
