package org.jrunc.sif;

import java.util.List;
import java.util.Optional;

/** One image of an OCI-SIF, resolved from its index entry to manifest, config and layers. */
public record OciImage(
        OciDescriptor manifestDescriptor,
        OciManifest manifest,
        SifDescriptor manifestObject,
        OciImageConfig config,
        SifDescriptor configObject,
        List<OciLayer> layers) {

    public OciImage {
        layers = List.copyOf(layers);
    }

    public Optional<String> referenceName() {
        return manifestDescriptor.referenceName();
    }

    public Optional<OciPlatform> platform() {
        return manifestDescriptor.platform();
    }
}
