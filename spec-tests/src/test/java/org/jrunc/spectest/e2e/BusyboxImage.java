package org.jrunc.spectest.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Bundle;
import org.jrunc.spectest.Jrunc;

/**
 * A busybox image built at test time from the spec-test rootfs: a single uncompressed layer, written both as a plain
 * rootfs tar (for {@code podman import}) and as an OCI image layout tar (for {@code ctr images import}).
 */
public final class BusyboxImage {
    private static final ObjectMapper JSON = new ObjectMapper();

    private BusyboxImage() {}

    /** The rootfs as a tar with paths relative to its root. */
    public static Path rootfsTar(Path dir) throws IOException {
        Path tar = dir.resolve("rootfs.tar");
        if (!Files.exists(tar)) {
            run(List.of(
                    "tar", "-C", Bundle.rootfsTemplate().toString(), "--numeric-owner", "-cf", tar.toString(), "."));
        }
        return tar;
    }

    /** An OCI image layout tar whose only manifest is annotated with {@code refName}. */
    public static Path ociLayoutTar(Path dir, String refName) throws IOException {
        Path layer = rootfsTar(dir);
        Path layout = Files.createDirectories(dir.resolve("oci-layout"));
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));

        String layerDigest = sha256(layer);
        Files.copy(layer, blobs.resolve(layerDigest), StandardCopyOption.REPLACE_EXISTING);

        ObjectNode config = JSON.createObjectNode();
        config.put("architecture", "amd64").put("os", "linux");
        config.putObject("config")
                .putArray("Env")
                .add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        ((ObjectNode) config.get("config")).putArray("Cmd").add("sh");
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        rootfs.putArray("diff_ids").add("sha256:" + layerDigest);
        Blob configBlob = writeBlob(blobs, JSON.writeValueAsBytes(config));

        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", "application/vnd.oci.image.manifest.v1+json");
        manifest.putObject("config")
                .put("mediaType", "application/vnd.oci.image.config.v1+json")
                .put("digest", "sha256:" + configBlob.digest)
                .put("size", configBlob.size);
        manifest.putArray("layers")
                .addObject()
                .put("mediaType", "application/vnd.oci.image.layer.v1.tar")
                .put("digest", "sha256:" + layerDigest)
                .put("size", Files.size(layer));
        Blob manifestBlob = writeBlob(blobs, JSON.writeValueAsBytes(manifest));

        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode entry = index.putArray("manifests").addObject();
        entry.put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                .put("digest", "sha256:" + manifestBlob.digest)
                .put("size", manifestBlob.size);
        entry.putObject("annotations").put("org.opencontainers.image.ref.name", refName);
        Files.write(layout.resolve("index.json"), JSON.writeValueAsBytes(index));
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");

        Path tar = dir.resolve("image.tar");
        run(List.of("tar", "-C", layout.toString(), "-cf", tar.toString(), "oci-layout", "index.json", "blobs"));
        return tar;
    }

    private record Blob(String digest, long size) {}

    private static Blob writeBlob(Path blobs, byte[] content) throws IOException {
        String digest = HexFormat.of().formatHex(digester().digest(content));
        Files.write(blobs.resolve(digest), content);
        return new Blob(digest, content.length);
    }

    private static String sha256(Path file) throws IOException {
        MessageDigest md = digester();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static MessageDigest digester() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void run(List<String> cmd) {
        Jrunc.Result r = Jrunc.raw(cmd, Map.of(), null, 120);
        if (r.exit() != 0) {
            throw new AssertionError(cmd + " failed: " + r.err());
        }
    }
}
