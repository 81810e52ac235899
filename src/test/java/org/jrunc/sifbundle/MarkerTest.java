package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarkerTest {
    @TempDir
    Path tmp;

    static final MountMarker SAMPLE = new MountMarker(
            "/images/busybox.sif",
            true,
            List.of(
                    new Step.Dir(Path.of("rootfs")),
                    new Step.Loop(3, "/images/busybox.sif", 45056, 745472),
                    new Step.Mount(Path.of("rootfs"), "squashfs", "/dev/loop3", false),
                    new Step.Tree(Path.of("overlay")),
                    new Step.Mount(Path.of("rootfs"), "fuse.fuse-overlayfs", "fuse-overlayfs", true),
                    new Step.File(Path.of("config.json"))));

    private static String decodeError(String json) {
        String m = assertThrows(
                        JruncException.class,
                        () -> MarkerCodec.decode(json.getBytes(StandardCharsets.UTF_8), "B/.jrunc-mount.json"))
                .getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    private static String withStep(String step) {
        return "{\"version\":1,\"image\":\"/i\",\"createdBundle\":false,\"steps\":[" + step + "]}";
    }

    @Test
    void roundTrip() {
        assertEquals(SAMPLE, MarkerCodec.decode(MarkerCodec.encode(SAMPLE), "m"));
    }

    @Test
    void pathsMustStayInsideTheBundle() {
        for (String bad : List.of("../etc", "/etc", "", "a/../../b", "./rootfs", "a/./b")) {
            String m = decodeError(withStep("{\"kind\":\"tree\",\"path\":\"" + bad + "\"}"));
            assertTrue(m.contains("is not a path inside the bundle"), m);
        }
        assertEquals(
                Path.of("layers/0"),
                ((Step.Tree) MarkerCodec.decode(
                                        withStep("{\"kind\":\"tree\",\"path\":\"layers/0\"}")
                                                .getBytes(StandardCharsets.UTF_8),
                                        "m")
                                .steps()
                                .get(0))
                        .path());
    }

    @Test
    void anythingUnexpectedIsRefused() {
        assertEquals(
                "B/.jrunc-mount.json: version 2 is not 1 (written by another jrunc?)",
                decodeError("{\"version\":2,\"steps\":[]}"));
        assertEquals(
                "B/.jrunc-mount.json: steps[0]: unknown kind \"rmrf\"",
                decodeError(withStep("{\"kind\":\"rmrf\",\"path\":\"x\"}")));
        assertEquals(
                "B/.jrunc-mount.json: steps[0]: number is missing or not a non-negative integer",
                decodeError(withStep(
                        "{\"kind\":\"loop\",\"number\":-1,\"backingFile\":\"/i\",\"offset\":0," + "\"sizeLimit\":0}")));
        assertEquals(
                "B/.jrunc-mount.json: steps[0]: fuse is missing or not true/false",
                decodeError(withStep("{\"kind\":\"mount\",\"path\":\"rootfs\",\"fsType\":\"overlay\","
                        + "\"source\":\"overlay\"}")));
        assertTrue(decodeError("{\"version\":1,").startsWith("B/.jrunc-mount.json: invalid JSON: "));
        assertEquals("B/.jrunc-mount.json: not a JSON object", decodeError("[]"));
    }

    @Test
    void fileIsCreatedOnceReplacedAtomicallyAndDeleted() throws Exception {
        BundleLayout layout = new BundleLayout(tmp);
        MarkerFile file = new MarkerFile(layout);
        MountMarker first = new MountMarker("/i", false, List.of());
        file.create(first);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(layout.marker())));
        JruncException again = assertThrows(JruncException.class, () -> file.create(first));
        assertTrue(again.getMessage().endsWith(".jrunc-mount.json already exists: the bundle is already mounted"));
        file.replace(SAMPLE);
        assertEquals(SAMPLE, file.read());
        assertFalse(Files.exists(layout.markerTemp()));
        file.delete();
        assertFalse(Files.exists(layout.marker()));
    }

    @Test
    void noMarkerMeansNotOurs() {
        JruncException e = assertThrows(JruncException.class, () -> new MarkerFile(new BundleLayout(tmp)).read());
        assertEquals(
                tmp + ": no .jrunc-mount.json, so this is not a bundle made by jrunc mount; refusing to unmount"
                        + " or delete anything in it",
                e.getMessage());
    }

    @Test
    void aSymlinkedMarkerIsNotRead() throws Exception {
        Files.writeString(
                tmp.resolve("elsewhere.json"), new String(MarkerCodec.encode(SAMPLE), StandardCharsets.UTF_8));
        Files.createSymbolicLink(tmp.resolve(BundleLayout.MARKER), tmp.resolve("elsewhere.json"));
        JruncException e = assertThrows(JruncException.class, () -> new MarkerFile(new BundleLayout(tmp)).read());
        assertTrue(e.getMessage().startsWith("cannot read " + tmp.resolve(BundleLayout.MARKER)), e.getMessage());
    }
}
