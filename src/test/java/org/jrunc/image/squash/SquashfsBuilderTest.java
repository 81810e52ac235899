package org.jrunc.image.squash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SquashfsBuilder with the real tar2sqfs, read back with rdsquashfs. Break-check: dropping "--defaults ... mtime=0"
 * or a header field in EntryMetadata.applyTo fails the metadata test; not deleting the temporary file, or renaming it
 * before checking the exit status, fails the failure tests.
 */
class SquashfsBuilderTest {
    @TempDir
    Path dir;

    private List<LayerBlob> layers() throws IOException {
        LayerBlob base = new TestLayer()
                .file("bin/su", "su")
                .with(e -> {
                    e.setMode(0104750);
                    e.setUserId(1000);
                    e.setGroupId(2000);
                })
                .dir("srv")
                .with(e -> {
                    e.setMode(041775);
                    e.setUserId(33);
                    e.setLastModifiedTime(FileTime.fromMillis(1_111_111_000L));
                    e.addPaxHeader("SCHILY.xattr.user.dir", "on a directory");
                })
                .file("srv/data", "payload")
                .with(e -> e.addPaxHeader("SCHILY.xattr.user.note", "hello"))
                .hardlink("srv/alias", "srv/data")
                .hardlink("srv/alias2", "srv/data")
                .symlink("srv/link", "data")
                .fifo("srv/pipe")
                .gzip(dir);
        LayerBlob upper = new TestLayer().whiteout("srv/data").gzip(dir);
        return List.of(base, upper);
    }

    private Path build(String name) throws IOException {
        List<LayerBlob> layers = layers();
        Path image = dir.resolve(name);
        SquashfsBuilder.build(tar -> LayerSquasher.squash(layers, new SquashOptions(false), tar), image);
        return image;
    }

    static String run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
        } catch (InterruptedException e) {
            throw new IOException(e);
        }
        return output;
    }

    private static String stat(Path image, String path) throws IOException {
        return run("rdsquashfs", "-s", path, image.toString());
    }

    @Test
    void ownersModesTimesXattrsAndLinksReachTheSquashfs() throws IOException {
        Path image = build("image.sqfs");
        String su = stat(image, "/bin/su");
        assertTrue(su.contains("Access: 04750"), su);
        assertTrue(su.contains("UID: 1000 "), su);
        assertTrue(su.contains("GID: 2000 "), su);
        assertTrue(su.contains("(" + TestLayer.MTIME.toMillis() / 1000 + ")"), su);
        String srv = stat(image, "/srv");
        assertTrue(srv.contains("Access: 01775") && srv.contains("UID: 33 ") && srv.contains("(1111111)"), srv);
        assertEquals(
                "user.dir=on a directory",
                run("rdsquashfs", "-x", "/srv", image.toString()).strip());
        String alias = stat(image, "/srv/alias");
        assertTrue(alias.contains("Hard link count: 2"), alias);
        assertEquals(
                "user.note=hello",
                run("rdsquashfs", "-x", "/srv/alias2", image.toString()).strip());
        assertEquals("payload", run("rdsquashfs", "-c", "/srv/alias2", image.toString()));
        String listing = run("rdsquashfs", "-l", "/srv", image.toString());
        assertFalse(listing.lines().anyMatch(line -> line.endsWith(" data") && !line.contains("->")), listing);
        assertTrue(stat(image, "/srv/pipe").contains("Inode type: named pipe"));
        String root = stat(image, "/");
        assertTrue(root.contains("Access: 0755") && root.contains("UID: 0 ") && root.contains("(0)"), root);
    }

    @Test
    void theSameLayersGiveTheSameImage() throws IOException {
        assertEquals(sha256(build("one.sqfs")), sha256(build("two.sqfs")));
    }

    @Test
    void aProducerThatThrowsLeavesNothing() throws IOException {
        SquashException failure = new SquashException("layer broke");
        Path image = dir.resolve("image.sqfs");
        SquashException thrown = assertThrows(
                SquashException.class,
                () -> SquashfsBuilder.build(
                        tar -> {
                            tar.write(new TestLayer().file("a", "a").tar(), 0, 1024);
                            throw failure;
                        },
                        image));
        assertSame(failure, thrown);
        assertEmpty();
    }

    @Test
    void aTarThatEndsEarlyIsOneLineAndLeavesNothing() throws IOException {
        byte[] tar = new TestLayer().file("a", "x".repeat(100_000)).tar();
        Path image = dir.resolve("image.sqfs");
        SquashException thrown = assertThrows(
                SquashException.class, () -> SquashfsBuilder.build(out -> out.write(tar, 0, 50_000), image));
        assertTrue(thrown.getMessage().startsWith(image + ": tar2sqfs failed (exit status "), thrown.getMessage());
        assertFalse(thrown.getMessage().contains("\n"));
        assertEmpty();
    }

    private void assertEmpty() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(
                    List.of(),
                    files.filter(f -> !f.getFileName().toString().matches("[0-9a-f]{64}"))
                            .toList());
        }
    }

    static String sha256(Path file) throws IOException {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
