package org.jrunc.image.source;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.cache.StagedFile;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciJson;
import org.jrunc.sif.OciMediaTypes;

/** Manifests and indexes as small cached blobs: read back, stored after a digest check, and typed by their JSON. */
final class CachedDocuments {
    /** Manifests larger than this are refused, as containerd and the registries do (4 MiB). */
    static final int MAX_DOCUMENT = 4 * 1024 * 1024;

    private CachedDocuments() {}

    static Optional<byte[]> read(ImageCache cache, OciDigest digest) {
        Optional<Path> file = cache.blob(digest);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(readBounded(file.get()));
        } catch (IOException e) {
            throw new JruncException(file.get() + ": cannot read: " + JruncException.reason(e), e);
        }
    }

    /** A manifest or index file, refused in one line when larger than {@link #MAX_DOCUMENT}. */
    static byte[] readBounded(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_DOCUMENT + 1);
            if (bytes.length > MAX_DOCUMENT) {
                throw new JruncException(file + ": larger than 4 MiB, too large for an index or manifest");
            }
            return bytes;
        }
    }

    /** Checks {@code bytes} hash to {@code digest} and caches them; {@code where} names the source in the error. */
    static void store(ImageCache cache, OciDigest digest, byte[] bytes, String where) {
        OciDigest actual =
                OciDigest.of(digest.algorithm(), digest.newMessageDigest().digest(bytes));
        if (!actual.equals(digest)) {
            throw new JruncException(where + ": manifest " + digest + " has content that hashes to " + actual);
        }
        if (cache.blob(digest).isPresent()) {
            return;
        }
        try (StagedFile staged = cache.stage("manifest")) {
            try {
                Files.write(staged.path(), bytes);
            } catch (IOException e) {
                throw new JruncException(staged.path() + ": cannot write manifest: " + JruncException.reason(e), e);
            }
            cache.commitBlob(staged, digest);
        }
    }

    /**
     * The media type a document declares, or what its shape says when it declares none (an OCI index or manifest
     * may leave mediaType out).
     */
    static String mediaType(byte[] bytes, String where) {
        JsonNode node = OciJson.parseObject(bytes, where, "manifest");
        JsonNode declared = node.get("mediaType");
        if (declared != null && declared.isTextual() && !declared.asText().isEmpty()) {
            return declared.asText();
        }
        if (node.has("manifests")) {
            return OciMediaTypes.OCI_INDEX;
        }
        if (node.has("config")) {
            return OciMediaTypes.OCI_MANIFEST;
        }
        throw new JruncException(
                where + ": neither an image manifest nor an index (no mediaType, config or" + " manifests)");
    }
}
