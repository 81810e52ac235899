package org.jrunc.spectest.image;

import java.nio.file.Path;
import java.util.List;

/**
 * An OCI image layout written by {@link TestImages}: its directory, the tag its index.json names (the
 * org.opencontainers.image.ref.name annotation), the digest and media type of what the tag points at (a manifest, or
 * an index for a multi-arch image), and each image's digests.
 */
public record OciLayout(Path dir, String tag, String digest, String mediaType, List<WrittenImage> images) {

    /** What was written for one platform: manifest, config, and per layer the blob digest and the diff_id. */
    public record WrittenImage(
            Platform platform,
            String manifestDigest,
            String configDigest,
            List<String> layerDigests,
            List<String> diffIds) {}

    public OciLayout {
        images = List.copyOf(images);
    }

    /** {@code oci:DIR:TAG}, for skopeo and for {@code jrunc pull}. */
    public String transportReference() {
        return "oci:" + dir + ":" + tag;
    }

    /** The only image, or the linux/amd64 one of a multi-arch layout. */
    public WrittenImage amd64() {
        return images.stream()
                .filter(i -> i.platform().equals(Platform.LINUX_AMD64))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no linux/amd64 image in " + dir));
    }
}
