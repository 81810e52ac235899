package org.jrunc.image.squash;

import java.util.Optional;

/** How a layer blob is compressed: as its media type says, and as its first bytes show. */
enum LayerCompression {
    NONE,
    GZIP,
    ZSTD;

    private static final String[] LAYER_TYPE_PREFIXES = {
        "application/vnd.oci.image.layer.", "application/vnd.docker.image.rootfs."
    };

    /**
     * The compression a layer media type names (OCI {@code ...tar}, {@code ...tar+gzip}, {@code ...tar+zstd},
     * nondistributable ones included; Docker {@code ...diff.tar.gzip}, {@code ...foreign.diff.tar.gzip}); empty for a
     * type that is not a layer's.
     */
    static Optional<LayerCompression> ofMediaType(String mediaType) {
        boolean layerType = false;
        for (String prefix : LAYER_TYPE_PREFIXES) {
            layerType |= mediaType.startsWith(prefix);
        }
        if (!layerType) {
            return Optional.empty();
        }
        if (mediaType.endsWith(".tar+gzip") || mediaType.endsWith(".tar.gzip")) {
            return Optional.of(GZIP);
        }
        if (mediaType.endsWith(".tar+zstd")) {
            return Optional.of(ZSTD);
        }
        if (mediaType.endsWith(".tar")) {
            return Optional.of(NONE);
        }
        return Optional.empty();
    }

    /** The compression whose magic number {@code head} (a blob's first bytes, maybe fewer than 4) starts with. */
    static LayerCompression sniff(byte[] head) {
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (head.length >= 4
                && (head[0] & 0xff) == 0x28
                && (head[1] & 0xff) == 0xb5
                && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }

    String describe() {
        return switch (this) {
            case NONE -> "an uncompressed tar";
            case GZIP -> "gzip";
            case ZSTD -> "zstd";
        };
    }
}
