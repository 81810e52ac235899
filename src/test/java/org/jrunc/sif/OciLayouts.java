package org.jrunc.sif;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** OCI image layouts and OCI-SIFs built for tests. */
final class OciLayouts {
    private OciLayouts() {}

    /** Turns an OCI-SIF back into the layout it was written from: blobs by digest, the root index as index.json. */
    static Path extract(String fixture, Path dir) {
        Path layout = dir.resolve("layout");
        try (SifImage image = SifImage.open(Fixtures.path(fixture))) {
            Files.createDirectories(layout.resolve("blobs/sha256"));
            for (SifDescriptor d : image.descriptors()) {
                byte[] data = image.readBytes(d, 1 << 24);
                if (d.dataType() == SifDataType.OCI_ROOT_INDEX) {
                    Files.write(layout.resolve("index.json"), data);
                } else {
                    Files.write(
                            layout.resolve("blobs/sha256")
                                    .resolve(OciDigest.sha256(data).hex()),
                            data);
                }
            }
            Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return layout;
    }

    /** Adds a blob to a layout and returns a JSON descriptor for it. */
    static String addBlob(Path layout, String mediaType, byte[] data) {
        OciDigest digest = OciDigest.sha256(data);
        try {
            Files.createDirectories(layout.resolve("blobs/sha256"));
            Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return descriptorJson(mediaType, data);
    }

    static String descriptorJson(String mediaType, byte[] data) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + OciDigest.sha256(data) + "\",\"size\":"
                + data.length + "}";
    }

    static String indexJson(String... manifests) {
        return "{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_INDEX + "\",\"manifests\":["
                + String.join(",", manifests) + "]}";
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** An OCI-SIF with the given blobs and root index, written object by object (no layout checks). */
    static Path sif(Path file, String rootIndex, byte[]... blobs) {
        try (SifWriter w = SifWriter.create(file, SifCreateOptions.deterministic())) {
            for (byte[] blob : blobs) {
                w.add(SifObjectInput.of(SifDataType.OCI_BLOB, blob));
            }
            w.add(SifObjectInput.of(SifDataType.OCI_ROOT_INDEX, utf8(rootIndex)));
        }
        return file;
    }
}
