package org.jrunc.tools;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.jrunc.cli.JruncCli;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.cache.StagedFile;
import org.jrunc.image.registry.Credentials;
import org.jrunc.image.registry.ImageReference;
import org.jrunc.image.registry.RegistryClient;
import org.jrunc.image.registry.RegistryOptions;
import org.jrunc.sif.OciDigest;

/**
 * The training run of the `images` archive, which `pull` and `cache` start with (and nothing else, so the hot
 * commands' archives never hold the pull's classes): cached pulls of a one-layer OCI layout written here,
 * `cache list`, and the registry client made and closed. scripts/build-archives.sh runs it with
 * $JRUNC_CACHEDIR pointing at a scratch directory, which it removes.
 */
final class ImageTraining {
    private ImageTraining() {}

    static void run() throws IOException {
        Path dir = Files.createTempDirectory("jrunc-image-training");
        try {
            Layout layout = writeLayout(dir.resolve("layout"));
            plantCachedOciSif(layout.manifest());
            String source = "oci:" + layout.dir() + ":training";
            String dest = dir.resolve("training.oci.sif").toString();
            JruncCli.run(new String[] {"pull", "--quiet", source, dest});
            JruncCli.run(new String[] {"pull", "--force", source, dest});
            JruncCli.run(new String[] {"cache", "list"});
            ImageReference reference = ImageReference.parse("docker.io/library/busybox:latest");
            try (RegistryClient client = new RegistryClient(
                    RegistryOptions.defaults(Credentials.none()).withTlsVerify(false))) {
                reference.withDigest(OciDigest.sha256(new byte[0]));
            }
        } finally {
            Training.deleteQuietly(dir);
        }
    }

    /**
     * The training teaches the cached pull only, the one whose start-up matters (a cold pull runs for seconds, squashing
     * and compressing): the scratch cache gets the image's OCI-SIF before the first pull, so no pull squashes and the
     * archive holds no squash or SIF-writing classes.
     */
    private static void plantCachedOciSif(OciDigest manifest) throws IOException {
        String cacheDir = System.getenv("JRUNC_CACHEDIR");
        if (cacheDir == null) {
            throw new IllegalStateException("the image training runs with JRUNC_CACHEDIR set (build-archives.sh)");
        }
        ImageCache cache = ImageCache.open(Path.of(cacheDir));
        try (StagedFile staged = cache.stage("training")) {
            Files.writeString(staged.path(), "an OCI-SIF stands here: the training copies it, never opens it");
            cache.commitOciSif(staged, manifest);
        }
    }

    private record Layout(Path dir, OciDigest manifest) {}

    /** An OCI layout with one gzip layer holding one file, named "training" in its index. */
    private static Layout writeLayout(Path layout) throws IOException {
        Path blobs = Files.createDirectories(layout.resolve("blobs").resolve(OciDigest.SHA256));
        ByteArrayOutputStream layerBytes = new ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(layerBytes);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(gzip)) {
            byte[] content = "training\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry entry = new TarArchiveEntry("etc/training");
            entry.setSize(content.length);
            tar.putArchiveEntry(entry);
            tar.write(content);
            tar.closeArchiveEntry();
        }
        byte[] layer = layerBytes.toByteArray();
        OciDigest layerDigest = blob(blobs, layer);
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{\"Cmd\":[\"sh\"]},"
                        + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}")
                .getBytes(StandardCharsets.UTF_8);
        OciDigest configDigest = blob(blobs, config);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"config\":{\"mediaType\":\"application/vnd.oci.image.config.v1+json\",\"digest\":\""
                        + configDigest + "\",\"size\":" + config.length + "},\"layers\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"" + layerDigest
                        + "\",\"size\":" + layer.length + "}]}")
                .getBytes(StandardCharsets.UTF_8);
        OciDigest manifestDigest = blob(blobs, manifest);
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(
                layout.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                        + "\"digest\":\"" + manifestDigest + "\",\"size\":" + manifest.length + ",\"annotations\":"
                        + "{\"org.opencontainers.image.ref.name\":\"training\"}}]}");
        return new Layout(layout, manifestDigest);
    }

    private static OciDigest blob(Path blobs, byte[] content) throws IOException {
        OciDigest digest = OciDigest.sha256(content);
        Files.write(blobs.resolve(digest.hex()), content);
        return digest;
    }
}
