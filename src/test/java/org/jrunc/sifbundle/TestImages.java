package org.jrunc.sifbundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jrunc.sif.FsType;
import org.jrunc.sif.HostArch;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciMediaTypes;
import org.jrunc.sif.OciSifWriter;
import org.jrunc.sif.PartitionType;
import org.jrunc.sif.SifArch;
import org.jrunc.sif.SifCreateOptions;
import org.jrunc.sif.SifDataType;
import org.jrunc.sif.SifObjectInput;
import org.jrunc.sif.SifWriter;

/** SIF and OCI-SIF images built for tests (also used by the spec-tests). */
public final class TestImages {
    private TestImages() {}

    /** One layer of an OCI image: its media type and blob. */
    public record Layer(String mediaType, byte[] data) {
        public static Layer squashfs(byte[] data) {
            return new Layer(OciMediaTypes.SQUASHFS_LAYER, data);
        }
    }

    /** Enough for the checks that precede mounting: the squashfs magic, then zeros. */
    public static byte[] fakeSquashfs(int size) {
        byte[] b = new byte[size];
        System.arraycopy("hsqs".getBytes(StandardCharsets.US_ASCII), 0, b, 0, 4);
        return b;
    }

    /** A native SIF whose primary partition (for this host's architecture) holds {@code partition}. */
    public static Path nativeSif(Path file, FsType fsType, byte[] partition, String ociConfig) {
        Path data = file.resolveSibling(file.getFileName() + ".partition");
        try {
            Files.write(data, partition);
            try (SifWriter w = SifWriter.create(file, SifCreateOptions.defaults())) {
                if (ociConfig != null) {
                    w.add(SifObjectInput.of(SifDataType.GENERIC_JSON, ociConfig.getBytes(StandardCharsets.UTF_8))
                            .name("oci-config.json"));
                }
                w.add(SifObjectInput.partition(data, fsType, PartitionType.PRIMARY_SYSTEM, hostArch()));
            }
            Files.delete(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * A single-image OCI-SIF as Singularity writes them (oci-tools layout: blobs unaligned), with {@code config}
     * as the image config's "config" object.
     */
    public static Path ociSif(Path file, String config, Layer... layers) {
        Path layout = file.resolveSibling(file.getFileName() + ".layout");
        try {
            List<String> descriptors = new ArrayList<>();
            for (Layer l : layers) {
                descriptors.add(addBlob(layout, l.mediaType(), l.data()));
            }
            String configBlob = addBlob(
                    layout,
                    OciMediaTypes.OCI_CONFIG,
                    utf8("{\"architecture\":\""
                            + hostArch().goArch() + "\",\"os\":\"linux\",\"config\":" + config
                            + ",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}"));
            String manifest = addBlob(
                    layout,
                    OciMediaTypes.OCI_MANIFEST,
                    utf8("{\"schemaVersion\":2,\"mediaType\":\""
                            + OciMediaTypes.OCI_MANIFEST + "\",\"config\":" + configBlob + ",\"layers\":["
                            + String.join(",", descriptors) + "]}"));
            Files.writeString(
                    layout.resolve("index.json"),
                    "{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_INDEX + "\",\"manifests\":[" + manifest
                            + "]}");
            OciSifWriter.writeLayout(layout, file, 0);
            deleteTree(layout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    private static SifArch hostArch() {
        return HostArch.host() == SifArch.UNKNOWN ? SifArch.AMD64 : HostArch.host();
    }

    private static String addBlob(Path layout, String mediaType, byte[] data) throws IOException {
        OciDigest digest = OciDigest.sha256(data);
        Path dir = Files.createDirectories(layout.resolve("blobs/sha256"));
        Files.write(dir.resolve(digest.hex()), data);
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + data.length + "}";
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
