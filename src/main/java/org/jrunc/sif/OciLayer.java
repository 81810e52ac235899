package org.jrunc.sif;

/**
 * A layer of an OCI-SIF image and the SIF object holding its blob. The mount code uses {@link #offset()} and
 * {@link #size()} to mount a squashfs layer in place (offsets of OCI blobs are not aligned).
 */
public record OciLayer(OciDescriptor descriptor, SifDescriptor object) {

    public String mediaType() {
        return descriptor.mediaType();
    }

    public OciDigest digest() {
        return descriptor.digest();
    }

    /** Absolute offset of the layer's bytes in the SIF file. */
    public long offset() {
        return object.offset();
    }

    public long size() {
        return object.size();
    }

    public boolean isSquashfs() {
        return OciMediaTypes.SQUASHFS_LAYER.equals(descriptor.mediaType());
    }
}
