package org.jrunc.sif;

import java.util.List;
import java.util.Map;

/** An OCI image index (or Docker manifest list); an OCI-SIF's root index is one. */
public record OciIndex(
        int schemaVersion, String mediaType, List<OciDescriptor> manifests, Map<String, String> annotations) {

    public OciIndex {
        manifests = List.copyOf(manifests);
        annotations = Map.copyOf(annotations);
    }
}
