package org.jrunc.image.squash;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LayerSquasher on layers built here: the whiteout and replacement cases, hard links, metadata, hostile entries,
 * compressions and determinism, read back from the squashed tar. Break-check: each case fails when the rule it names
 * is removed from LayerSquasher/SquashTree (e.g. applying whiteouts after a layer's entries fails
 * whiteoutAndNewFileInOneLayer; emitting a link's content under the target's name fails hardLinkTargetDeletedLater).
 */
class LayerSquasherTest {
    private static final SquashOptions USER = new SquashOptions(false);

    @TempDir
    Path dir;

    /** The squashed tar, by path (directories without their trailing slash), in order. */
    record Squashed(Map<String, TarArchiveEntry> entries, Map<String, String> contents, byte[] bytes) {
        TarArchiveEntry get(String path) {
            TarArchiveEntry entry = entries.get(path);
            assertTrue(entry != null, path + " missing from " + entries.keySet());
            return entry;
        }

        String content(String path) {
            TarArchiveEntry entry = get(path);
            return entry.isLink() ? contents.get(entry.getLinkName()) : contents.get(path);
        }
    }

    private Squashed squash(SquashOptions options, LayerBlob... layers) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        SquashSummary summary = LayerSquasher.squash(List.of(layers), options, out);
        Squashed squashed = read(out.toByteArray());
        assertEquals(squashed.entries.size(), summary.entries());
        return squashed;
    }

    private Squashed squash(LayerBlob... layers) throws IOException {
        return squash(USER, layers);
    }

    static Squashed read(byte[] tar) throws IOException {
        Map<String, TarArchiveEntry> entries = new LinkedHashMap<>();
        Map<String, String> contents = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar), "UTF-8")) {
            for (TarArchiveEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String path = e.getName().endsWith("/")
                        ? e.getName().substring(0, e.getName().length() - 1)
                        : e.getName();
                assertFalse(entries.containsKey(path), "written twice: " + path);
                entries.put(path, e);
                if (e.isFile()) {
                    contents.put(path, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        }
        return new Squashed(entries, contents, tar);
    }

    @Test
    void whiteoutDeletesALowerFileOrSubtreeAndIsNotWritten() throws IOException {
        LayerBlob base = new TestLayer()
                .dir("etc")
                .file("etc/a", "a")
                .file("etc/b", "b")
                .dir("opt/x")
                .file("opt/x/y", "y")
                .gzip(dir);
        LayerBlob upper = new TestLayer()
                .whiteout("etc/a")
                .whiteout("opt/x")
                .whiteout("nothing")
                .gzip(dir);
        Squashed squashed = squash(base, upper);
        assertEquals(List.of("etc", "opt", "etc/b"), List.copyOf(squashed.entries.keySet()));
    }

    @Test
    void whiteoutAndNewFileInOneLayerKeepTheNewFileInEitherOrder() throws IOException {
        LayerBlob base = new TestLayer()
                .file("a", "old")
                .file("b", "old")
                .dir("d")
                .file("d/lower", "x")
                .gzip(dir);
        LayerBlob upper = new TestLayer()
                .whiteout("a")
                .file("a", "new-a")
                .file("b", "new-b")
                .whiteout("b")
                .dir("d")
                .file("d/upper", "u")
                .whiteout("d")
                .gzip(dir);
        Squashed squashed = squash(base, upper);
        assertEquals("new-a", squashed.content("a"));
        assertEquals("new-b", squashed.content("b"));
        assertTrue(squashed.entries.containsKey("d/upper"));
        assertFalse(squashed.entries.containsKey("d/lower"));
    }

    @Test
    void opaqueDirectoryHidesOnlyWhatLowerLayersPutInIt() throws IOException {
        LayerBlob base = new TestLayer()
                .dir("d")
                .file("d/lower", "l")
                .dir("d/sub")
                .file("d/sub/deep", "x")
                .file("outside", "o")
                .gzip(dir);
        LayerBlob upper = new TestLayer().file("d/upper", "u").opaque("d").gzip(dir);
        Squashed squashed = squash(base, upper);
        assertEquals(
                List.of("d", "d/upper", "outside"),
                List.copyOf(squashed.entries.keySet()).stream().sorted().toList());
    }

    @Test
    void fileReplacedByDirectoryAndBack() throws IOException {
        LayerBlob one = new TestLayer().file("p", "file").gzip(dir);
        LayerBlob two = new TestLayer().dir("p").file("p/child", "c").gzip(dir);
        LayerBlob three = new TestLayer().file("p", "file again").gzip(dir);
        Squashed asDirectory = squash(one, two);
        assertTrue(asDirectory.get("p").isDirectory());
        assertEquals("c", asDirectory.content("p/child"));
        Squashed asFile = squash(one, two, three);
        assertEquals("file again", asFile.content("p"));
        assertEquals(List.of("p"), List.copyOf(asFile.entries.keySet()));
    }

    @Test
    void symlinkReplacedByFileAndDirectoryByFile() throws IOException {
        LayerBlob one = new TestLayer()
                .symlink("s", "/etc/passwd")
                .dir("d")
                .file("d/x", "x")
                .gzip(dir);
        LayerBlob two =
                new TestLayer().file("s", "plain").file("d", "now a file").gzip(dir);
        Squashed squashed = squash(one, two);
        assertTrue(squashed.get("s").isFile());
        assertEquals("plain", squashed.content("s"));
        assertEquals("now a file", squashed.content("d"));
        assertEquals(
                List.of("d", "s"), squashed.entries.keySet().stream().sorted().toList());
    }

    @Test
    void implicitParentsAreRootOwned0755AtTimeZero() throws IOException {
        Squashed squashed = squash(new TestLayer().file("a/b/c", "c").gzip(dir));
        assertEquals(List.of("a", "a/b", "a/b/c"), List.copyOf(squashed.entries.keySet()));
        TarArchiveEntry implicit = squashed.get("a/b");
        assertEquals(0755, implicit.getMode() & 07777);
        assertEquals(0, implicit.getLongUserId());
        assertEquals(0, implicit.getLastModifiedTime().toMillis());
    }

    /** umoci names a root insert's root "/"; refusing it as absolute (as EntryPath did at first) fails this. */
    @Test
    void theRootNamedSlashIsTheRoot() throws IOException {
        Squashed squashed = squash(new TestLayer()
                .raw("/", TarConstants.LF_DIR, null)
                .file("bin/x", "x")
                .gzip(dir));
        assertEquals(List.of("bin", "bin/x"), List.copyOf(squashed.entries.keySet()));
    }

    @Test
    void samePathTwiceInOneLayerTheLaterWins() throws IOException {
        Squashed squashed = squash(new TestLayer()
                .file("f", "first")
                .file("f", "second")
                .dir("x")
                .file("x", "file wins")
                .gzip(dir));
        assertEquals("second", squashed.content("f"));
        assertEquals("file wins", squashed.content("x"));
    }

    @Test
    void directoryMetadataComesFromTheTopmostLayerAndItsContentsStay() throws IOException {
        LayerBlob base = new TestLayer()
                .dir("d")
                .with(e -> e.setMode(040700))
                .file("d/f", "f")
                .gzip(dir);
        LayerBlob upper = new TestLayer()
                .dir("d")
                .with(e -> {
                    e.setMode(041777);
                    e.setUserId(7);
                    e.setGroupId(8);
                    e.setLastModifiedTime(FileTime.fromMillis(5000));
                })
                .gzip(dir);
        LayerBlob top = new TestLayer().file("d/g", "g").gzip(dir);
        Squashed squashed = squash(base, upper, top);
        TarArchiveEntry d = squashed.get("d");
        assertEquals(01777, d.getMode() & 07777);
        assertEquals(7, d.getLongUserId());
        assertEquals(8, d.getLongGroupId());
        assertEquals(5, d.getLastModifiedTime().toMillis() / 1000);
        assertEquals("f", squashed.content("d/f"));
        assertEquals("g", squashed.content("d/g"));
    }

    @Test
    void hardLinksThatSurviveAreLinksToOneContent() throws IOException {
        Squashed squashed = squash(new TestLayer()
                .file("a", "shared")
                .hardlink("b", "a")
                .hardlink("./c", "./a")
                .gzip(dir));
        assertTrue(squashed.get("a").isFile());
        assertEquals("a", squashed.get("b").getLinkName());
        assertEquals("a", squashed.get("c").getLinkName());
        assertEquals("shared", squashed.content("c"));
    }

    @Test
    void hardLinkTargetDeletedLaterKeepsItsContentUnderTheLinks() throws IOException {
        LayerBlob base = new TestLayer()
                .file("a", "shared")
                .hardlink("b", "a")
                .hardlink("c", "a")
                .gzip(dir);
        LayerBlob upper = new TestLayer().whiteout("a").gzip(dir);
        Squashed squashed = squash(base, upper);
        assertEquals(List.of("b", "c"), List.copyOf(squashed.entries.keySet()));
        assertTrue(squashed.get("b").isFile());
        assertEquals("shared", squashed.content("b"));
        assertEquals("b", squashed.get("c").getLinkName());
    }

    @Test
    void hardLinkTargetReplacedLaterKeepsTheOldContent() throws IOException {
        LayerBlob base = new TestLayer().file("a", "old").hardlink("b", "a").gzip(dir);
        LayerBlob upper = new TestLayer().file("a", "new").gzip(dir);
        Squashed squashed = squash(base, upper);
        assertEquals("new", squashed.content("a"));
        assertTrue(squashed.get("b").isFile());
        assertEquals("old", squashed.content("b"));
    }

    @Test
    void hardLinkToALowerLayersFileTakesWhatIsThereWhenItIsRead() throws IOException {
        LayerBlob base = new TestLayer().file("a", "lower").gzip(dir);
        LayerBlob upper = new TestLayer().hardlink("b", "a").file("a", "upper").gzip(dir);
        Squashed squashed = squash(base, upper);
        assertEquals("upper", squashed.content("a"));
        assertEquals("lower", squashed.content("b"));
    }

    @Test
    void ownersModesTimesXattrsSymlinksFifosAreKept() throws IOException {
        Squashed squashed = squash(new TestLayer()
                .file("bin/su", "su")
                .with(e -> {
                    e.setMode(0104755);
                    e.setUserId(0);
                    e.setGroupId(0);
                })
                .file("home/u/f", "f")
                .with(e -> {
                    e.setUserId(100000);
                    e.setGroupId(3000000); // beyond ustar's 7 octal digits: needs PAX
                    e.setLastModifiedTime(FileTime.fromMillis(1_234_567_000L));
                    e.addPaxHeader("SCHILY.xattr.user.note", "hello");
                })
                .dir("tmp")
                .with(e -> {
                    e.setMode(041777);
                    e.addPaxHeader("SCHILY.xattr.user.dir", "d");
                })
                .symlink("lnk", "../target/elsewhere")
                .fifo("pipe")
                .gzip(dir));
        assertEquals(04755, squashed.get("bin/su").getMode() & 07777);
        TarArchiveEntry f = squashed.get("home/u/f");
        assertEquals(100000, f.getLongUserId());
        assertEquals(3000000, f.getLongGroupId());
        assertEquals(1_234_567_000L, f.getLastModifiedTime().toMillis());
        assertEquals("hello", f.getExtraPaxHeader("SCHILY.xattr.user.note"));
        assertEquals(01777, squashed.get("tmp").getMode() & 07777);
        assertEquals("d", squashed.get("tmp").getExtraPaxHeader("SCHILY.xattr.user.dir"));
        assertEquals("../target/elsewhere", squashed.get("lnk").getLinkName());
        assertTrue(squashed.get("pipe").isFIFO());
        assertEquals("", f.getUserName());
    }

    @Test
    void deviceNodesOnlyWhenPrivileged() throws IOException {
        LayerBlob layer = new TestLayer().charDevice("dev/null", 1, 3).gzip(dir);
        SquashException refused = assertThrows(SquashException.class, () -> squash(layer));
        assertEquals(
                "layer " + layer.digest() + ": entry \"dev/null\": a device node, which only root may create",
                refused.getMessage());
        TarArchiveEntry node = squash(new SquashOptions(true), layer).get("dev/null");
        assertTrue(node.isCharacterDevice());
        assertEquals(1, node.getDevMajor());
        assertEquals(3, node.getDevMinor());
    }

    private void assertRefused(String entry, String reason, LayerBlob... layers) {
        SquashException refused = assertThrows(SquashException.class, () -> squash(layers));
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertEquals(
                "layer " + layers[layers.length - 1].digest() + ": entry " + SquashException.quote(entry) + ": "
                        + reason,
                refused.getMessage());
    }

    @Test
    void hostileEntriesAreRefusedNamingLayerAndEntry() throws IOException {
        assertRefused(
                "a/../../etc/passwd",
                "\"..\" in the path",
                new TestLayer()
                        .raw("a/../../etc/passwd", TarConstants.LF_NORMAL, "x")
                        .gzip(dir));
        assertRefused(
                "/etc/passwd",
                "absolute path",
                new TestLayer().raw("/etc/passwd", TarConstants.LF_NORMAL, "x").gzip(dir));
        LayerBlob escape = new TestLayer().symlink("up", "/").gzip(dir);
        assertRefused(
                "up/etc/passwd",
                "parent \"up\" is a symbolic link (a write through it)",
                escape,
                new TestLayer().file("up/etc/passwd", "x").gzip(dir));
        assertRefused(
                "l",
                "\"..\" in the path",
                new TestLayer()
                        .raw("l", TarConstants.LF_LINK, null)
                        .with(e -> e.setLinkName("../../x"))
                        .gzip(dir));
        assertRefused(
                "l",
                "absolute path",
                new TestLayer()
                        .raw("l", TarConstants.LF_LINK, null)
                        .with(e -> e.setLinkName("/etc/shadow"))
                        .gzip(dir));
        assertRefused(
                "l",
                "hard link target \"up/etc/shadow\" goes through a symbolic link",
                escape,
                new TestLayer().hardlink("l", "up/etc/shadow").gzip(dir));
        assertRefused(
                "l",
                "hard link target \"missing\" is in no earlier entry or layer",
                new TestLayer().hardlink("l", "missing").gzip(dir));
        assertRefused(
                "x\ny/../z",
                "\"..\" in the path",
                new TestLayer().raw("x\ny/../z", TarConstants.LF_NORMAL, "x").gzip(dir));
    }

    @Test
    void aPaxNameThatIsNotUtf8IsRefused() throws IOException {
        byte[] tar = new TestLayer().file("caf\u00e9", "x").tar();
        int at = indexOf(tar, "path=caf".getBytes(StandardCharsets.US_ASCII)) + "path=caf".length();
        tar[at] = (byte) 0xe9; // latin-1 e-acute, then a byte no UTF-8 sequence continues with
        tar[at + 1] = (byte) 0xff;
        LayerBlob layer = TestLayer.blob(dir, tar, "application/vnd.oci.image.layer.v1.tar");
        SquashException refused = assertThrows(SquashException.class, () -> squash(layer));
        assertTrue(refused.getMessage().endsWith(": name is not UTF-8"), refused.getMessage());
    }

    @Test
    void theCompressionsGiveTheSameTreeAndALyingMediaTypeIsRefused() throws IOException {
        TestLayer layer = new TestLayer().dir("d").file("d/f", "content");
        Squashed fromGzip = squash(layer.gzip(dir));
        assertArrayEquals(fromGzip.bytes, squash(layer.zstd(dir)).bytes);
        assertArrayEquals(fromGzip.bytes, squash(layer.plain(dir)).bytes);
        LayerBlob gzip = layer.gzip(dir);
        LayerBlob lying = new LayerBlob(gzip.file(), "application/vnd.oci.image.layer.v1.tar+zstd", gzip.digest());
        SquashException refused = assertThrows(SquashException.class, () -> squash(lying));
        assertEquals(
                "layer " + gzip.digest() + ": media type application/vnd.oci.image.layer.v1.tar+zstd says zstd"
                        + " but the blob is gzip",
                refused.getMessage());
        LayerBlob docker =
                new LayerBlob(gzip.file(), "application/vnd.docker.image.rootfs.diff.tar.gzip", gzip.digest());
        assertArrayEquals(fromGzip.bytes, squash(docker).bytes);
        LayerBlob config = new LayerBlob(gzip.file(), "application/vnd.oci.image.config.v1+json", gzip.digest());
        assertThrows(SquashException.class, () -> squash(config));
    }

    @Test
    void aTruncatedLayerIsRefusedNamingTheLayer() throws IOException {
        TestLayer big = new TestLayer()
                .file("first", "1")
                .file("big", "x".repeat(200_000))
                .file("last", "z");
        for (LayerBlob whole : List.of(big.gzip(dir), big.zstd(dir), big.plain(dir))) {
            byte[] bytes = Files.readAllBytes(whole.file());
            LayerBlob cut = TestLayer.blob(dir, Arrays.copyOf(bytes, bytes.length / 2), whole.mediaType());
            SquashException refused = assertThrows(SquashException.class, () -> squash(cut), whole.mediaType());
            assertTrue(refused.getMessage().startsWith("layer " + cut.digest() + ": "), refused.getMessage());
            assertFalse(refused.getMessage().contains("\n"));
        }
    }

    /**
     * umoci 0.4 ends a layer right after its last entry's data, as Go's archive/tar accepts; a cut inside that data
     * is still refused. Without UnterminatedTar the first squash fails ("Truncated TAR archive"); supplying zeros
     * without the endsBefore check lets the second through.
     */
    @Test
    void aLayerEndingRightAfterItsLastDataIsWholeButOneCutInsideItIsNot() throws IOException {
        byte[] tar = new TestLayer().file("a", "1").file("b", "hello").tar();
        int end = new String(tar, StandardCharsets.ISO_8859_1).lastIndexOf("hello") + 5;
        LayerBlob unterminated = TestLayer.blob(dir, Arrays.copyOf(tar, end), "application/vnd.oci.image.layer.v1.tar");
        Squashed squashed = squash(unterminated);
        assertEquals(List.of("a", "b"), List.copyOf(squashed.entries.keySet()));
        assertEquals("hello", squashed.content("b"));
        LayerBlob cut = TestLayer.blob(dir, Arrays.copyOf(tar, end - 2), "application/vnd.oci.image.layer.v1.tar");
        SquashException refused = assertThrows(SquashException.class, () -> squash(cut));
        assertEquals(
                "layer " + cut.digest() + ": entry \"b\": cannot read (at or after it): the layer ends inside this"
                        + " entry's data (truncated)",
                refused.getMessage());
    }

    @Test
    void theSameLayersGiveTheSameBytes() throws IOException {
        LayerBlob base = new TestLayer()
                .dir("z")
                .dir("a")
                .file("a/1", "1")
                .file("z/2", "2")
                .hardlink("a/h", "z/2")
                .file("m", "m")
                .with(e -> {
                    e.addPaxHeader("SCHILY.xattr.user.b", "2");
                    e.addPaxHeader("SCHILY.xattr.user.a", "1");
                })
                .gzip(dir);
        LayerBlob upper = new TestLayer().whiteout("z/2").file("n", "n").gzip(dir);
        assertArrayEquals(squash(base, upper).bytes, squash(base, upper).bytes);
    }

    static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }
}
