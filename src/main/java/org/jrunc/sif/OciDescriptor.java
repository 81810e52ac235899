package org.jrunc.sif;

import java.util.Map;
import java.util.Optional;

/**
 * An OCI content descriptor (an index entry, a manifest's config or layer): what a blob is, its digest and size.
 * {@code mediaType} and {@code artifactType} are empty strings when absent.
 */
public record OciDescriptor(
        String mediaType,
        OciDigest digest,
        long size,
        String artifactType,
        Map<String, String> annotations,
        Optional<OciPlatform> platform) {

    public OciDescriptor {
        annotations = Map.copyOf(annotations);
    }

    /** The image reference stored by Singularity/oci-tools on root-index entries, e.g. "my:image". */
    public Optional<String> referenceName() {
        return Optional.ofNullable(annotations.get(OciMediaTypes.REF_NAME_ANNOTATION));
    }
}
