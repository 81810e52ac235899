package org.jrunc.spectest.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Bundle;
import org.jrunc.spectest.Jrunc;

/**
 * OCI image layouts built from {@link Image} descriptions: layer blobs, a config with the diff_ids, a manifest per
 * platform, an index for a multi-arch image, and index.json naming the tag; the same layout as an oci-archive or a
 * docker-archive; and a runnable busybox image. Same description, same digests.
 */
public final class TestImages {
    static final String MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String INDEX = "application/vnd.oci.image.index.v1+json";
    private static final String CONFIG = "application/vnd.oci.image.config.v1+json";
    private static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {}

    /** A layout in the new directory {@code dir} whose {@code tag} is {@code image}'s manifest. */
    public static OciLayout writeLayout(Path dir, String tag, Image image) throws IOException {
        Path blobs = createLayout(dir);
        OciLayout.WrittenImage written = writeImage(blobs, image);
        writeIndexJson(dir, tag, MANIFEST, written.manifestDigest(), blobs);
        return new OciLayout(dir, tag, written.manifestDigest(), MANIFEST, List.of(written));
    }

    /** A layout in the new directory {@code dir} whose {@code tag} is an image index of {@code images}. */
    public static OciLayout writeMultiArchLayout(Path dir, String tag, List<Image> images) throws IOException {
        Path blobs = createLayout(dir);
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2).put("mediaType", INDEX);
        ArrayNode manifests = index.putArray("manifests");
        List<OciLayout.WrittenImage> written = new ArrayList<>();
        for (Image image : images) {
            OciLayout.WrittenImage w = writeImage(blobs, image);
            written.add(w);
            ObjectNode entry = descriptor(manifests.addObject(), MANIFEST, w.manifestDigest(), blobs);
            ObjectNode platform = entry.putObject("platform");
            platform.put("architecture", image.platform().architecture())
                    .put("os", image.platform().os());
            if (image.platform().variant() != null) {
                platform.put("variant", image.platform().variant());
            }
        }
        String indexDigest = writeBlob(blobs, JSON.writeValueAsBytes(index));
        writeIndexJson(dir, tag, INDEX, indexDigest, blobs);
        return new OciLayout(dir, tag, indexDigest, INDEX, written);
    }

    /** A linux/amd64 and a linux/arm64 image; the arm64 one holds only /etc/platform naming itself. */
    public static List<Image> amd64AndArm64(Image amd64) {
        Image arm64 = Image.of(Layer.of(
                        LayerCompression.GZIP,
                        LayerEntry.directory("etc"),
                        LayerEntry.file("etc/platform", "linux/arm64\n")))
                .withPlatform(Platform.LINUX_ARM64);
        return List.of(amd64.withPlatform(Platform.LINUX_AMD64), arm64);
    }

    /**
     * The spec-tests' busybox rootfs (the static binary and a symlink per applet, scripts/make-rootfs.sh) as one
     * layer, with {@code sh} as its command and PATH set, so a container runs from it.
     */
    public static Image busybox(LayerCompression compression) throws IOException {
        return Image.of(Layer.ofDirectory(compression, Bundle.rootfsTemplate())).withCmd("sh");
    }

    /** The layout as an {@code oci-archive:} tar (the layout's files at the tar's root). */
    public static Path ociArchive(OciLayout layout, Path file) {
        Jrunc.Result r = Jrunc.raw(
                List.of(
                        "tar",
                        "-C",
                        layout.dir().toString(),
                        "-cf",
                        file.toString(),
                        "oci-layout",
                        "index.json",
                        "blobs"),
                Map.of(),
                null,
                120);
        if (r.exit() != 0) {
            throw new AssertionError("tar of " + layout.dir() + " failed: " + r.err());
        }
        return file;
    }

    /**
     * The layout's image as a {@code docker-archive:} tar named {@code nameTag}, converted by skopeo to Docker's
     * format, which has no zstd: the image's layers must be gzip or uncompressed.
     */
    public static Path dockerArchive(OciLayout layout, Path file, String nameTag) {
        Skopeo.runOk(List.of("copy", layout.transportReference(), "docker-archive:" + file + ":" + nameTag));
        return file;
    }

    private static Path createLayout(Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        return Files.createDirectories(dir.resolve("blobs/sha256"));
    }

    private static OciLayout.WrittenImage writeImage(Path blobs, Image image) throws IOException {
        List<String> layerDigests = new ArrayList<>();
        List<String> diffIds = new ArrayList<>();
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2).put("mediaType", MANIFEST);
        ObjectNode configDescriptor = manifest.putObject("config");
        ArrayNode layers = manifest.putArray("layers");
        for (Layer layer : image.layers()) {
            byte[] tar = LayerTar.tar(layer);
            diffIds.add(digest(tar));
            String blob = writeBlob(blobs, LayerTar.blob(tar, layer.compression()));
            layerDigests.add(blob);
            descriptor(layers.addObject(), layer.compression().mediaType(), blob, blobs);
        }
        String config = writeBlob(blobs, JSON.writeValueAsBytes(config(image, diffIds)));
        descriptor(configDescriptor, CONFIG, config, blobs);
        String manifestDigest = writeBlob(blobs, JSON.writeValueAsBytes(manifest));
        return new OciLayout.WrittenImage(image.platform(), manifestDigest, config, layerDigests, diffIds);
    }

    private static ObjectNode config(Image image, List<String> diffIds) {
        ObjectNode config = JSON.createObjectNode();
        config.put("created", "2023-11-14T22:13:20Z")
                .put("architecture", image.platform().architecture())
                .put("os", image.platform().os());
        if (image.platform().variant() != null) {
            config.put("variant", image.platform().variant());
        }
        ObjectNode run = config.putObject("config");
        run.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        ArrayNode cmd = run.putArray("Cmd");
        image.cmd().forEach(cmd::add);
        if (!image.user().isEmpty()) {
            run.put("User", image.user());
        }
        ObjectNode rootfs = config.putObject("rootfs").put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(ids::add);
        return config;
    }

    private static void writeIndexJson(Path dir, String tag, String mediaType, String digest, Path blobs)
            throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        ObjectNode entry = descriptor(index.putArray("manifests").addObject(), mediaType, digest, blobs);
        entry.putObject("annotations").put(REF_NAME, tag);
        Files.write(dir.resolve("index.json"), JSON.writeValueAsBytes(index));
    }

    private static ObjectNode descriptor(ObjectNode node, String mediaType, String digest, Path blobs)
            throws IOException {
        return node.put("mediaType", mediaType)
                .put("digest", digest)
                .put("size", Files.size(blobs.resolve(digest.substring("sha256:".length()))));
    }

    private static String writeBlob(Path blobs, byte[] content) throws IOException {
        String digest = digest(content);
        Files.write(blobs.resolve(digest.substring("sha256:".length())), content);
        return digest;
    }

    /** {@code sha256:HEX} of {@code content}. */
    public static String digest(byte[] content) {
        try {
            return "sha256:"
                    + HexFormat.of()
                            .formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
