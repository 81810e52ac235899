package org.jrunc.image.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.cache.StagedFile;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;

/** Copies a local file into the cache: checked against its descriptor, or named by the digest the copy computes. */
final class BlobImport {
    private static final int BUFFER = 256 * 1024;

    private BlobImport() {}

    /** The blob {@code d} from {@code source}: refused, naming the digest, unless size and digest both match. */
    static Path verified(ImageCache cache, OciDescriptor d, Path source, BlobProgress progress, String where) {
        java.util.Optional<Path> cached = cache.blob(d.digest());
        if (cached.isPresent()) {
            progress.transferred(d.size());
            return cached.get();
        }
        try (StagedFile staged = cache.stage("blob")) {
            Copied copied = copy(source, staged.path(), d.digest().newMessageDigest(), progress, d.size());
            OciDigest actual = OciDigest.of(d.digest().algorithm(), copied.hash());
            if (copied.bytes() != d.size() || !actual.equals(d.digest())) {
                throw new JruncException(where + ": blob " + d.digest() + " (" + source + ") has "
                        + copied.bytes() + " bytes hashing to " + actual + ", not the " + d.size()
                        + " bytes its descriptor names");
            }
            return cache.commitBlob(staged, d.digest());
        }
    }

    /** {@code source} cached under the sha256 the copy computes; returns that digest and the size. */
    static OciDescriptor hashed(ImageCache cache, Path source, String mediaType) {
        try (StagedFile staged = cache.stage("blob")) {
            Copied copied = copy(
                    source,
                    staged.path(),
                    OciDigest.newMessageDigest(OciDigest.SHA256),
                    BlobProgress.NONE,
                    Long.MAX_VALUE);
            OciDigest digest = OciDigest.of(OciDigest.SHA256, copied.hash());
            if (cache.blob(digest).isEmpty()) {
                cache.commitBlob(staged, digest);
            }
            return new OciDescriptor(
                    mediaType, digest, copied.bytes(), "", java.util.Map.of(), java.util.Optional.empty());
        }
    }

    private record Copied(long bytes, byte[] hash) {}

    /** Stops reading one byte past {@code limit}: a source longer than its descriptor is wrong, however long. */
    private static Copied copy(Path source, Path target, MessageDigest hash, BlobProgress progress, long limit) {
        long total = 0;
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = Files.newInputStream(source);
                OutputStream out = Files.newOutputStream(target)) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                hash.update(buffer, 0, n);
                out.write(buffer, 0, n);
                total += n;
                progress.transferred(n);
                if (total > limit) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new JruncException(source + ": cannot copy into the image cache: " + JruncException.reason(e), e);
        }
        return new Copied(total, hash.digest());
    }
}
