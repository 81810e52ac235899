package org.jrunc.image.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciIndex;
import org.jrunc.sif.OciJson;

/**
 * An OCI image layout directory ({@code oci:DIR[:TAG]}, and an unpacked {@code oci-archive:}). TAG picks the index
 * entry whose {@code org.opencontainers.image.ref.name} is TAG, as skopeo and umoci name images in a layout; without
 * a TAG the layout must hold one entry.
 */
final class LayoutFetcher implements ImageFetcher {
    private final ImageCache cache;
    private final Path directory;
    private final Optional<String> tag;
    private final String where;

    LayoutFetcher(ImageCache cache, Path directory, Optional<String> tag, String where) {
        this.cache = cache;
        this.directory = directory;
        this.tag = tag;
        this.where = where;
    }

    @Override
    public OciDescriptor top() {
        Path indexFile = directory.resolve("index.json");
        byte[] bytes = readLimited(indexFile);
        OciIndex index =
                OciJson.index(OciJson.parseObject(bytes, indexFile.toString(), "index"), indexFile.toString(), "index");
        List<OciDescriptor> entries = index.manifests();
        OciDescriptor chosen;
        if (tag.isPresent()) {
            chosen = entries.stream()
                    .filter(d -> tag.get().equals(d.referenceName().orElse(null)))
                    .findFirst()
                    .orElseThrow(() -> new JruncException(where + ": the layout has no image named \"" + tag.get()
                            + "\" (it has: " + names(entries) + ")"));
        } else if (entries.size() == 1) {
            chosen = entries.get(0);
        } else {
            throw new JruncException(where + ": the layout holds " + entries.size() + " images (" + names(entries)
                    + "); name one with :TAG");
        }
        document(chosen);
        return chosen;
    }

    private static String names(List<OciDescriptor> entries) {
        String names = entries.stream()
                .map(d -> d.referenceName().orElse(d.digest().toString()))
                .collect(Collectors.joining(", "));
        return names.isEmpty() ? "nothing" : names;
    }

    @Override
    public byte[] document(OciDescriptor d) {
        return CachedDocuments.read(cache, d.digest()).orElseGet(() -> {
            byte[] bytes = readLimited(blobFile(d));
            CachedDocuments.store(cache, d.digest(), bytes, where);
            return bytes;
        });
    }

    @Override
    public Path blob(OciDescriptor d, BlobProgress progress) {
        return BlobImport.verified(cache, d, blobFile(d), progress, where);
    }

    private Path blobFile(OciDescriptor d) {
        Path file = directory
                .resolve("blobs")
                .resolve(d.digest().algorithm())
                .resolve(d.digest().hex());
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new JruncException(where + ": blob " + d.digest() + " is missing from the layout (" + file + ")");
        }
        return file;
    }

    private byte[] readLimited(Path file) {
        try {
            return CachedDocuments.readBounded(file);
        } catch (NoSuchFileException e) {
            throw new JruncException(where + ": " + file + " does not exist (not an OCI image layout?)");
        } catch (IOException e) {
            throw new JruncException(file + ": cannot read: " + JruncException.reason(e), e);
        }
    }

    @Override
    public String where() {
        return where;
    }

    @Override
    public void close() {}
}
