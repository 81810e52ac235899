package org.jrunc.image.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** oci:, oci-archive: and docker-archive: sources, on layouts and archives written by the test. */
class LocalSourcesTest {
    @TempDir
    Path dir;

    @Test
    void sourcesParseAsSkopeoWritesThem() {
        assertEquals(new ImageSource.OciLayout(Path.of("/l"), Optional.of("t")), ImageSource.parse("oci:/l:t"));
        assertEquals(new ImageSource.OciLayout(Path.of("l"), Optional.empty()), ImageSource.parse("oci:l"));
        assertEquals(
                new ImageSource.OciArchive(Path.of("a.tar"), Optional.of("v1")),
                ImageSource.parse("oci-archive:a.tar:v1"));
        assertEquals(new ImageSource.DockerArchive(Path.of("d.tar")), ImageSource.parse("docker-archive:d.tar"));
        assertEquals("l_t.oci.sif", ImageSource.parse("oci:/x/l:t").defaultFileName());
        assertEquals(
                "a_latest.oci.sif", ImageSource.parse("oci-archive:/x/a.tar").defaultFileName());
        for (String bad : List.of("oci:", "oci:/l:", "docker-archive:", "http://x", "busybox", "docker-archive:a:b")) {
            JruncException e = assertThrows(JruncException.class, () -> ImageSource.parse(bad));
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertTrue(ImageSource.isTransport("docker://busybox"));
        assertFalse(ImageSource.isTransport("busybox.sif"));
    }

    /** A layout's image is chosen by its ref name; its blobs reach the cache only when they hash to their names. */
    @Test
    void aLayoutIsReadByTagAndVerified() throws IOException {
        Layout layout = Layout.write(dir.resolve("layout"), "v1");
        ImageCache cache = ImageCache.open(dir.resolve("cache"));
        try (ImageFetcher f = Fetchers.open(ImageSource.parse("oci:" + layout.dir() + ":v1"), cache, () -> null)) {
            ResolvedImage image = ImageResolver.resolve(f, PlatformChoice.host());
            assertEquals(layout.manifest(), image.manifestDescriptor().digest());
            Path layer = f.blob(image.manifest().layers().get(0), BlobProgress.NONE);
            assertArrayEquals(layout.layer(), Files.readAllBytes(layer));
            assertTrue(cache.blob(layout.manifest()).isPresent());
        }
        try (ImageFetcher f = Fetchers.open(ImageSource.parse("oci:" + layout.dir() + ":v2"), cache, () -> null)) {
            JruncException e = assertThrows(JruncException.class, f::top);
            assertTrue(e.getMessage().contains("no image named \"v2\" (it has: v1)"), e.getMessage());
        }
    }

    /** Breaking BlobImport.verified's comparison fails this: a tampered layer must not enter the cache. */
    @Test
    void aTamperedLayoutBlobIsRefusedNamingItsDigest() throws IOException {
        Layout layout = Layout.write(dir.resolve("layout"), "v1");
        Path blob = layout.dir().resolve("blobs/sha256/" + layout.layerDigest().hex());
        byte[] bytes = Files.readAllBytes(blob);
        bytes[0] ^= 1;
        Files.write(blob, bytes);
        ImageCache cache = ImageCache.open(dir.resolve("cache"));
        try (ImageFetcher f = Fetchers.open(ImageSource.parse("oci:" + layout.dir()), cache, () -> null)) {
            ResolvedImage image = ImageResolver.resolve(f, PlatformChoice.host());
            JruncException e = assertThrows(
                    JruncException.class, () -> f.blob(image.manifest().layers().get(0), BlobProgress.NONE));
            assertTrue(e.getMessage().contains(layout.layerDigest().toString()), e.getMessage());
        }
        assertTrue(cache.blob(layout.layerDigest()).isEmpty());
        try (var tmp = Files.list(dir.resolve("cache/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    @Test
    void anOciArchiveIsUnpackedAndRemoved() throws IOException {
        Layout layout = Layout.write(dir.resolve("layout"), "v1");
        Path archive = dir.resolve("img.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (String name : List.of("oci-layout", "index.json")) {
                file(tar, name, Files.readAllBytes(layout.dir().resolve(name)));
            }
            try (var blobs = Files.list(layout.dir().resolve("blobs/sha256"))) {
                for (Path b : blobs.toList()) {
                    file(tar, "blobs/sha256/" + b.getFileName(), Files.readAllBytes(b));
                }
            }
        }
        ImageCache cache = ImageCache.open(dir.resolve("cache"));
        try (ImageFetcher f = Fetchers.open(ImageSource.parse("oci-archive:" + archive + ":v1"), cache, () -> null)) {
            ResolvedImage image = ImageResolver.resolve(f, PlatformChoice.host());
            assertEquals(layout.manifest(), image.manifestDescriptor().digest());
        }
        try (var tmp = Files.list(dir.resolve("cache/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    /** docker save's layout: a layer listed twice is a symlink; the manifest the fetcher writes is the same each time. */
    @Test
    void aDockerArchiveBecomesASchema2Manifest() throws IOException {
        Path archive = dir.resolve("d.tar");
        byte[] layer = Layout.layerTar("hello");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(
                    tar,
                    "manifest.json",
                    ("[{\"Config\":\"cfg.json\",\"RepoTags\":[\"x:1\"],"
                                    + "\"Layers\":[\"l1/layer.tar\",\"l2/layer.tar\"]}]")
                            .getBytes(StandardCharsets.UTF_8));
            file(tar, "cfg.json", Layout.CONFIG.getBytes(StandardCharsets.UTF_8));
            file(tar, "l1/layer.tar", layer);
            TarArchiveEntry link = new TarArchiveEntry("l2/layer.tar", TarArchiveEntry.LF_SYMLINK);
            link.setLinkName("../l1/layer.tar");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        ImageCache cache = ImageCache.open(dir.resolve("cache"));
        OciDigest first;
        try (ImageFetcher f = Fetchers.open(ImageSource.parse("docker-archive:" + archive), cache, () -> null)) {
            ResolvedImage image = ImageResolver.resolve(f, PlatformChoice.host());
            assertEquals(
                    OciMediaTypes.DOCKER_MANIFEST, image.manifestDescriptor().mediaType());
            assertEquals(2, image.manifest().layers().size());
            assertEquals(
                    OciDigest.sha256(layer), image.manifest().layers().get(1).digest());
            assertEquals(
                    DockerArchiveFetcher.LAYER_TAR,
                    image.manifest().layers().get(0).mediaType());
            first = image.manifestDescriptor().digest();
        }
        try (ImageFetcher f = Fetchers.open(ImageSource.parse("docker-archive:" + archive), cache, () -> null)) {
            assertEquals(first, f.top().digest());
        }
    }

    @Test
    void archiveEntriesLeavingTheArchiveAreRefused() throws IOException {
        Path archive = dir.resolve("evil.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(archive))) {
            file(tar, "../escape", new byte[] {1});
        }
        ImageCache cache = ImageCache.open(dir.resolve("cache"));
        JruncException e = assertThrows(
                JruncException.class,
                () -> Fetchers.open(ImageSource.parse("oci-archive:" + archive), cache, () -> null));
        assertTrue(e.getMessage().contains("\"../escape\" points outside the archive"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("escape")));
        assertFalse(Files.exists(dir.resolve("cache/escape")));
        try (var tmp = Files.list(dir.resolve("cache/tmp"))) {
            assertEquals(0, tmp.count());
        }
    }

    static void file(TarArchiveOutputStream tar, String name, byte[] content) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setSize(content.length);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    /** A one-layer OCI layout on disk. */
    record Layout(Path dir, OciDigest manifest, OciDigest layerDigest, byte[] layer) {
        static final String CONFIG = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\"}}";

        static Layout write(Path dir, String tag) throws IOException {
            Files.createDirectories(dir.resolve("blobs/sha256"));
            byte[] layer = layerTar("hello");
            OciDigest layerDigest = blob(dir, layer);
            byte[] config = CONFIG.getBytes(StandardCharsets.UTF_8);
            OciDigest configDigest = blob(dir, config);
            String manifest = "{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_MANIFEST + "\","
                    + "\"config\":{\"mediaType\":\"" + OciMediaTypes.OCI_CONFIG + "\",\"digest\":\"" + configDigest
                    + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                    + "\"application/vnd.oci.image.layer.v1.tar\",\"digest\":\"" + layerDigest + "\",\"size\":"
                    + layer.length + "}]}";
            byte[] m = manifest.getBytes(StandardCharsets.UTF_8);
            OciDigest manifestDigest = blob(dir, m);
            Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.writeString(
                    dir.resolve("index.json"),
                    "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\""
                            + OciMediaTypes.OCI_MANIFEST + "\",\"digest\":\"" + manifestDigest + "\",\"size\":"
                            + m.length
                            + ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"" + tag + "\"}}]}");
            return new Layout(dir, manifestDigest, layerDigest, layer);
        }

        static byte[] layerTar(String content) throws IOException {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
                file(tar, "hello.txt", content.getBytes(StandardCharsets.UTF_8));
            }
            return bytes.toByteArray();
        }

        private static OciDigest blob(Path dir, byte[] content) throws IOException {
            OciDigest d = OciDigest.sha256(content);
            try (OutputStream out = Files.newOutputStream(dir.resolve("blobs/sha256/" + d.hex()))) {
                out.write(content);
            }
            return d;
        }
    }
}
