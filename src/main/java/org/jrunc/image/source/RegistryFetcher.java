package org.jrunc.image.source;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.cache.StagedFile;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.image.registry.FetchedManifest;
import org.jrunc.image.registry.ImageReference;
import org.jrunc.image.registry.ManifestHead;
import org.jrunc.image.registry.RegistryClient;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;

/**
 * A {@code docker://} source. A tag is resolved with HEAD, which Docker Hub does not count against its pull limit, and
 * a manifest whose digest is cached is read from the cache: an unchanged image costs one HEAD and no GET.
 */
final class RegistryFetcher implements ImageFetcher {
    private final ImageCache cache;
    private final RegistryClient client;
    private final ImageReference reference;

    RegistryFetcher(ImageCache cache, RegistryClient client, ImageReference reference) {
        this.cache = cache;
        this.client = client;
        this.reference = reference;
    }

    @Override
    public OciDescriptor top() {
        OciDigest digest;
        if (reference.digest().isPresent()) {
            digest = reference.digest().get();
        } else {
            ManifestHead head = client.headManifest(reference)
                    .orElseThrow(() -> new JruncException(where() + ": manifest unknown: the registry has no "
                            + reference.reference() + " in " + reference.repository()));
            digest = head.digest();
        }
        byte[] bytes = CachedDocuments.read(cache, digest).orElseGet(() -> fetch(digest));
        return descriptor(digest, bytes);
    }

    @Override
    public byte[] document(OciDescriptor d) {
        return CachedDocuments.read(cache, d.digest()).orElseGet(() -> fetch(d.digest()));
    }

    private byte[] fetch(OciDigest digest) {
        FetchedManifest fetched = client.fetchManifest(reference.withDigest(digest));
        CachedDocuments.store(cache, digest, fetched.bytes(), where());
        return fetched.bytes();
    }

    private OciDescriptor descriptor(OciDigest digest, byte[] bytes) {
        return new OciDescriptor(
                CachedDocuments.mediaType(bytes, where() + " (" + digest + ")"),
                digest,
                bytes.length,
                "",
                Map.of(),
                Optional.empty());
    }

    @Override
    public Path blob(OciDescriptor d, BlobProgress progress) {
        Optional<Path> cached = cache.blob(d.digest());
        if (cached.isPresent()) {
            progress.transferred(d.size());
            return cached.get();
        }
        try (StagedFile staged = cache.stage("blob")) {
            client.downloadBlob(reference, d, staged.path(), progress);
            return cache.commitBlob(staged, d.digest());
        }
    }

    @Override
    public String where() {
        return "docker://" + reference;
    }

    @Override
    public void close() {
        client.close();
    }
}
