package org.jrunc.spectest.image;

/** How a test layer's tar is stored, with the OCI media type that says so. */
public enum LayerCompression {
    NONE("application/vnd.oci.image.layer.v1.tar"),
    GZIP("application/vnd.oci.image.layer.v1.tar+gzip"),
    ZSTD("application/vnd.oci.image.layer.v1.tar+zstd");

    private final String mediaType;

    LayerCompression(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }
}
