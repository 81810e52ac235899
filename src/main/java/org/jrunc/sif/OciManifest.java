package org.jrunc.sif;

import java.util.List;
import java.util.Map;

/** An OCI (or Docker schema 2) image manifest: config plus layers, base layer first. */
public record OciManifest(
        int schemaVersion,
        String mediaType,
        OciDescriptor config,
        List<OciDescriptor> layers,
        Map<String, String> annotations) {

    public OciManifest {
        layers = List.copyOf(layers);
        annotations = Map.copyOf(annotations);
    }
}
