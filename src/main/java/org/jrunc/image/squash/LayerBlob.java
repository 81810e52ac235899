package org.jrunc.image.squash;

import java.nio.file.Path;
import org.jrunc.sif.OciDigest;

/** One image layer as the manifest lists it: the blob's file, its descriptor's media type and digest. */
public record LayerBlob(Path file, String mediaType, OciDigest digest) {}
