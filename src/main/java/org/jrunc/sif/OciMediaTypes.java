package org.jrunc.sif;

/** Media types and annotations that OCI-SIF readers and writers act on. */
public final class OciMediaTypes {
    private OciMediaTypes() {}

    public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    public static final String DOCKER_MANIFEST_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
    public static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
    public static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
    public static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
    /** Singularity's layer format: the blob is a squashfs image, mountable in place at its SIF offset. */
    public static final String SQUASHFS_LAYER = "application/vnd.sylabs.image.layer.v1.squashfs";
    /** Optional last layer of a Singularity OCI-SIF: a writable ext3 overlay, not part of the root filesystem. */
    public static final String EXT3_OVERLAY_LAYER = "application/vnd.sylabs.image.layer.v1.ext3";

    public static final String DATA_CONTAINER_ARTIFACT = "application/vnd.sylabs.data-container.v1";
    /** Root-index annotation holding the image reference (e.g. "my:image"). */
    public static final String REF_NAME_ANNOTATION = "org.opencontainers.image.ref.name";

    public static boolean isIndex(String mediaType) {
        return OCI_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
    }

    public static boolean isImageManifest(String mediaType) {
        return OCI_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
    }
}
