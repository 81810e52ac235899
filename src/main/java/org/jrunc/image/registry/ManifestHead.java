package org.jrunc.image.registry;

import org.jrunc.sif.OciDigest;

/** What a HEAD of a manifest says: its digest (Docker-Content-Digest), media type and size, without its body. */
public record ManifestHead(OciDigest digest, String mediaType, long size) {}
