package org.jrunc.image.cache;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciIndex;
import org.jrunc.sif.OciJson;
import org.jrunc.sif.OciManifest;
import org.jrunc.sif.OciMediaTypes;
import org.jrunc.sif.SifException;

/**
 * What the cache holds and what of it the index still reaches: each pulled reference, its blobs (the top manifest,
 * nested manifests, configs, layers) and the OCI-SIFs of its image manifests. `cache list` shows it and `cache clean`
 * removes the rest.
 */
public final class CacheContents {
    private static final int MAX_DEPTH = 8;

    /** One pulled reference: its top manifest, when it was last used, and the OCI-SIFs built from it. */
    public record Entry(String reference, OciDescriptor top, Instant lastUsed, List<Path> ociSifs, long bytes) {}

    private final ImageCache cache;

    public CacheContents(ImageCache cache) {
        this.cache = cache;
    }

    public List<Entry> entries() {
        List<Entry> result = new ArrayList<>();
        for (OciDescriptor top : cache.index().entries()) {
            Reached reached = reach(top);
            List<Path> sifs = new ArrayList<>();
            long bytes = 0;
            Instant lastUsed = modified(cache.blobPath(top.digest()));
            for (OciDigest image : reached.images()) {
                Path sif = cache.ociSifPath(image);
                if (Files.isRegularFile(sif, LinkOption.NOFOLLOW_LINKS)) {
                    sifs.add(sif);
                    bytes += size(sif);
                    Instant used = modified(sif);
                    lastUsed = used.isAfter(lastUsed) ? used : lastUsed;
                }
            }
            for (OciDigest blob : reached.blobs()) {
                bytes += size(cache.blobPath(blob));
            }
            result.add(new Entry(top.referenceName().orElse(""), top, lastUsed, sifs, bytes));
        }
        return result;
    }

    /** Every cached file (blob or OCI-SIF) that no index entry reaches. */
    public List<Path> unreachable() {
        Set<Path> wanted = new LinkedHashSet<>();
        for (OciDescriptor top : cache.index().entries()) {
            Reached reached = reach(top);
            reached.blobs().forEach(b -> wanted.add(cache.blobPath(b)));
            reached.images().forEach(i -> wanted.add(cache.ociSifPath(i)));
        }
        List<Path> unwanted = new ArrayList<>();
        for (Path dir : List.of(
                cache.root().resolve(ImageCache.BLOBS).resolve(OciDigest.SHA256),
                cache.root().resolve(ImageCache.OCI_SIF).resolve(OciDigest.SHA256))) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (!wanted.contains(f)) {
                        unwanted.add(f);
                    }
                }
            } catch (IOException e) {
                throw new JruncException(dir + ": cannot list: " + JruncException.reason(e), e);
            }
        }
        return unwanted;
    }

    /** The blobs a top manifest reaches, and among them the image manifests (whose OCI-SIFs it keeps). */
    private record Reached(Set<OciDigest> blobs, Set<OciDigest> images) {}

    private Reached reach(OciDescriptor top) {
        Reached reached = new Reached(new LinkedHashSet<>(), new LinkedHashSet<>());
        reach(top, 0, reached.blobs(), reached.images());
        return reached;
    }

    /** Adds what {@code d} reaches among the cached blobs; a blob not cached ends that branch. */
    private void reach(OciDescriptor d, int depth, Set<OciDigest> blobs, Set<OciDigest> images) {
        blobs.add(d.digest());
        Optional<Path> file = cache.blob(d.digest());
        if (file.isEmpty() || depth > MAX_DEPTH) {
            return;
        }
        String where = file.get().toString();
        try {
            if (OciMediaTypes.isIndex(d.mediaType())) {
                OciIndex index = OciJson.index(OciJson.parseObject(read(file.get()), where, "index"), where, "index");
                for (OciDescriptor child : index.manifests()) {
                    reach(child, depth + 1, blobs, images);
                }
            } else if (OciMediaTypes.isImageManifest(d.mediaType())) {
                OciManifest manifest =
                        OciJson.manifest(OciJson.parseObject(read(file.get()), where, "manifest"), where, "manifest");
                images.add(d.digest());
                blobs.add(manifest.config().digest());
                manifest.layers().forEach(l -> blobs.add(l.digest()));
            }
        } catch (SifException e) {
            // a damaged cached manifest reaches nothing more; clean removes what only it kept
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new JruncException(file + ": cannot read: " + JruncException.reason(e), e);
        }
    }

    private static long size(Path p) {
        try {
            return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Files.size(p) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static Instant modified(Path p) {
        try {
            return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }
}
