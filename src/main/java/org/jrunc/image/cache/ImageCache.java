package org.jrunc.image.cache;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDigest;

/**
 * The content-addressed image cache. Its root is an OCI image layout (oci-layout, index.json, blobs/sha256/...) that
 * skopeo and umoci can read as {@code oci:ROOT:REF}, plus oci-sif/sha256/HEX.oci.sif: the finished OCI-SIF of the
 * image manifest HEX, so a re-pull of an unchanged image copies a file instead of squashing again.
 *
 * <p>Nothing is ever written under a final name: every blob and OCI-SIF is written in tmp/, checked, then renamed,
 * so a reader sees a whole verified file or none, two pulls of one image may race (the second rename replaces
 * identical content), and a pull killed at any moment leaves only tmp/ entries, which name their dead writer and
 * are swept by the next pull.
 */
public final class ImageCache {
    static final String LAYOUT_FILE = "oci-layout";
    static final String LAYOUT_CONTENT = "{\"imageLayoutVersion\":\"1.0.0\"}";
    static final String BLOBS = "blobs";
    static final String OCI_SIF = "oci-sif";
    static final String TMP = "tmp";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path root;
    private final CacheIndex index;

    private ImageCache(Path root) {
        this.root = root;
        this.index = new CacheIndex(this);
    }

    /** Opens (creating if needed) the cache at {@code root}, and sweeps what dead pulls left in tmp/. */
    public static ImageCache open(Path root) {
        ImageCache cache = new ImageCache(root);
        try {
            Files.createDirectories(root.resolve(TMP));
            Files.createDirectories(root.resolve(BLOBS).resolve(OciDigest.SHA256));
            Files.createDirectories(root.resolve(OCI_SIF).resolve(OciDigest.SHA256));
            Path layout = root.resolve(LAYOUT_FILE);
            if (!Files.exists(layout)) {
                cache.writeAtomically(layout, LAYOUT_CONTENT.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new JruncException("image cache " + root + ": cannot create: " + JruncException.reason(e), e);
        }
        cache.sweepDeadWriters();
        return cache;
    }

    public Path root() {
        return root;
    }

    public CacheIndex index() {
        return index;
    }

    public Path blobPath(OciDigest digest) {
        return root.resolve(BLOBS).resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** The blob, if a complete one is cached. Its name is its digest because only verified content is renamed in. */
    public Optional<Path> blob(OciDigest digest) {
        Path p = blobPath(digest);
        return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) ? Optional.of(p) : Optional.empty();
    }

    Path ociSifPath(OciDigest manifest) {
        return root.resolve(OCI_SIF).resolve(manifest.algorithm()).resolve(manifest.hex() + ".oci.sif");
    }

    /** The finished OCI-SIF of an image manifest, marked as used now (for `cache clean --older-than`). */
    public Optional<Path> ociSif(OciDigest manifest) {
        Path p = ociSifPath(manifest);
        if (!Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
        } catch (IOException e) {
            // a read-only cache still serves; it only ages as if unused
        }
        return Optional.of(p);
    }

    /** A new file (or directory) in tmp/; {@code what} ends its name, for whoever looks into tmp/. */
    public StagedFile stage(String what) {
        byte[] nonce = new byte[6];
        RANDOM.nextBytes(nonce);
        String name = ProcessHandle.current().pid() + "." + HexFormat.of().formatHex(nonce) + "." + what;
        return new StagedFile(root.resolve(TMP).resolve(name));
    }

    /** Renames verified content into blobs/; the caller has checked that it hashes to {@code digest}. */
    public Path commitBlob(StagedFile staged, OciDigest digest) {
        return commit(staged, blobPath(digest));
    }

    /** Renames a finished OCI-SIF into oci-sif/, under its image manifest's digest. */
    public Path commitOciSif(StagedFile staged, OciDigest manifest) {
        return commit(staged, ociSifPath(manifest));
    }

    private Path commit(StagedFile staged, Path target) {
        try {
            Files.move(staged.path(), target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IllegalStateException("tmp/ and its target are in one directory tree of one filesystem", e);
        } catch (IOException e) {
            throw new JruncException(
                    "image cache: cannot move " + staged.path() + " to " + target + ": " + JruncException.reason(e), e);
        }
        staged.committed();
        return target;
    }

    void writeAtomically(Path target, byte[] content) throws IOException {
        try (StagedFile staged = stage(target.getFileName().toString())) {
            Files.write(staged.path(), content);
            commit(staged, target);
        }
    }

    /** Removes tmp/ entries whose writer is gone: their pid (the first part of the name) no longer runs. */
    public int sweepDeadWriters() {
        int removed = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root.resolve(TMP))) {
            for (Path entry : entries) {
                if (!writerAlive(entry.getFileName().toString())) {
                    Tree.delete(entry);
                    removed++;
                }
            }
        } catch (IOException e) {
            // sweeping is housekeeping: a pull must not fail because another user's leftover cannot be removed
        }
        return removed;
    }

    private static boolean writerAlive(String name) {
        int dot = name.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            long pid = Long.parseLong(name.substring(0, dot));
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
