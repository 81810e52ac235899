package org.jrunc.image.source;

import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciManifest;

/**
 * An image a source named, down to one image manifest: {@code top} is what the name resolved to (an index for a
 * multi-arch image), {@code manifestDescriptor} the manifest chosen for the platform, which keys its OCI-SIF.
 */
public record ResolvedImage(OciDescriptor top, OciDescriptor manifestDescriptor, OciManifest manifest) {}
