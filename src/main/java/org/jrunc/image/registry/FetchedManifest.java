package org.jrunc.image.registry;

import org.jrunc.sif.OciDigest;

/** A manifest or index as the registry sent it; {@code digest} is the hash of exactly these bytes. */
public record FetchedManifest(byte[] bytes, String mediaType, OciDigest digest) {}
