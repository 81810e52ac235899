package org.jrunc.image.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCacheTest {
    @TempDir
    Path dir;

    @Test
    void locationFollowsTheEnvironmentAndTheCaller() {
        assertEquals(Path.of("/x/c"), CacheLocation.resolve(Map.of("JRUNC_CACHEDIR", "/x/c/"), false));
        assertEquals(Path.of("/var/cache/jrunc"), CacheLocation.resolve(Map.of("HOME", "/home/u"), false));
        assertEquals(
                Path.of("/xdg/jrunc"), CacheLocation.resolve(Map.of("XDG_CACHE_HOME", "/xdg", "HOME", "/h"), true));
        assertEquals(Path.of("/h/.cache/jrunc"), CacheLocation.resolve(Map.of("HOME", "/h"), true));
        JruncException e =
                assertThrows(JruncException.class, () -> CacheLocation.resolve(Map.of("JRUNC_CACHEDIR", "rel"), false));
        assertTrue(e.getMessage().contains("JRUNC_CACHEDIR"), e.getMessage());
    }

    @Test
    void openMakesAnOciLayout() throws IOException {
        ImageCache cache = ImageCache.open(dir.resolve("c"));
        assertEquals(ImageCache.LAYOUT_CONTENT, Files.readString(dir.resolve("c/oci-layout")));
        assertTrue(Files.isDirectory(dir.resolve("c/blobs/sha256")));
        assertEquals(List.of(), cache.index().entries());
    }

    /** Breaking commit (a copy instead of a rename) or close (no delete) fails this. */
    @Test
    void stagedFilesBecomeBlobsOnlyWhenCommitted() throws IOException {
        ImageCache cache = ImageCache.open(dir);
        byte[] content = "hello".getBytes(StandardCharsets.UTF_8);
        OciDigest digest = OciDigest.sha256(content);
        Path abandoned;
        try (StagedFile staged = cache.stage("blob")) {
            Files.write(staged.path(), content);
            abandoned = staged.path();
        }
        assertFalse(Files.exists(abandoned));
        assertEquals(Optional.empty(), cache.blob(digest));
        try (StagedFile staged = cache.stage("blob")) {
            Files.write(staged.path(), content);
            cache.commitBlob(staged, digest);
        }
        assertEquals(Optional.of(cache.blobPath(digest)), cache.blob(digest));
        assertEquals(List.of(), list(dir.resolve("tmp")));
    }

    /** A SIGKILLed pull leaves tmp/ entries under its pid: the next open removes them, and never a live writer's. */
    @Test
    void openSweepsWhatDeadWritersLeft() throws IOException {
        ImageCache.open(dir);
        Path dead = Files.createDirectories(dir.resolve("tmp/999999999.abc.layout"));
        Files.writeString(dead.resolve("f"), "x");
        Path live =
                Files.writeString(dir.resolve("tmp/" + ProcessHandle.current().pid() + ".abc.blob"), "x");
        Path odd = Files.writeString(dir.resolve("tmp/notapid"), "x");
        ImageCache.open(dir);
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(odd));
        assertTrue(Files.exists(live));
    }

    @Test
    void theIndexNamesReferencesAndReplacesARetaggedOne() {
        ImageCache cache = ImageCache.open(dir);
        OciDescriptor a = manifest("a");
        OciDescriptor b = manifest("b");
        cache.index().record("docker://x:1", a);
        cache.index().record("docker://x:2", a);
        cache.index().record("docker://x:1", b);
        List<OciDescriptor> entries = cache.index().entries();
        assertEquals(2, entries.size());
        assertEquals(Optional.of("docker://x:2"), entries.get(0).referenceName());
        assertEquals(b.digest(), entries.get(1).digest());
    }

    /** Clean without options keeps what an index entry reaches; --older-than forgets by last use; --all empties. */
    @Test
    void cleanRemovesWhatNoReferenceReaches() throws IOException {
        ImageCache cache = ImageCache.open(dir);
        OciDigest layer = put(cache, "layer");
        OciDigest config = put(cache, "{}");
        String manifestJson = "{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_MANIFEST + "\","
                + "\"config\":{\"mediaType\":\"" + OciMediaTypes.OCI_CONFIG + "\",\"digest\":\"" + config
                + "\",\"size\":2},\"layers\":[{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar\","
                + "\"digest\":\"" + layer + "\",\"size\":5}]}";
        OciDigest manifest = put(cache, manifestJson);
        OciDigest stray = put(cache, "stray");
        Path sif = Files.writeString(cache.ociSifPath(manifest), "sif");
        Path straySif = Files.writeString(cache.ociSifPath(stray), "old sif");
        cache.index().record("oci:/l:t", descriptor(manifest, manifestJson.length()));

        CacheCleaner.Report report = CacheCleaner.unreachable(cache);
        assertEquals(0, report.references());
        assertEquals(2, report.files());
        assertFalse(Files.exists(cache.blobPath(stray)));
        assertFalse(Files.exists(straySif));
        assertTrue(Files.exists(cache.blobPath(layer)));
        assertTrue(Files.exists(sif));
        CacheContents.Entry entry = new CacheContents(cache).entries().get(0);
        assertEquals(List.of(sif), entry.ociSifs());
        assertEquals(5 + 2 + manifestJson.length() + 3, entry.bytes());

        assertEquals(0, CacheCleaner.olderThan(cache, Duration.ofHours(1)).references());
        FileTime old = FileTime.from(Instant.now().minus(Duration.ofDays(2)));
        Files.setLastModifiedTime(sif, old);
        Files.setLastModifiedTime(cache.blobPath(manifest), old);
        report = CacheCleaner.olderThan(cache, Duration.ofDays(1));
        assertEquals(1, report.references());
        assertEquals(4, report.files());
        assertEquals(List.of(), cache.index().entries());

        cache.index().record("oci:/l:t", descriptor(put(cache, manifestJson), manifestJson.length()));
        assertEquals(1, CacheCleaner.all(cache).references());
        assertEquals(List.of(), list(dir.resolve("blobs/sha256")));
    }

    @Test
    void agesTakeAUnit() {
        assertEquals(Duration.ofDays(7), CacheCleaner.parseAge("7d"));
        assertEquals(Duration.ofSeconds(90), CacheCleaner.parseAge("90s"));
        assertEquals(Duration.ofDays(14), CacheCleaner.parseAge("2w"));
        for (String bad : List.of("7", "d", "7y", "-1d", "1.5h", "")) {
            JruncException e = assertThrows(JruncException.class, () -> CacheCleaner.parseAge(bad));
            assertTrue(e.getMessage().contains("--older-than"), e.getMessage());
        }
    }

    private static OciDigest put(ImageCache cache, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        OciDigest digest = OciDigest.sha256(bytes);
        try (StagedFile staged = cache.stage("t")) {
            Files.write(staged.path(), bytes);
            cache.commitBlob(staged, digest);
        }
        return digest;
    }

    private static OciDescriptor manifest(String seed) {
        return descriptor(OciDigest.sha256(seed.getBytes(StandardCharsets.UTF_8)), 1);
    }

    private static OciDescriptor descriptor(OciDigest digest, long size) {
        return new OciDescriptor(OciMediaTypes.OCI_MANIFEST, digest, size, "", Map.of(), Optional.empty());
    }

    private static List<Path> list(Path d) throws IOException {
        try (var s = Files.list(d)) {
            return s.toList();
        }
    }
}
