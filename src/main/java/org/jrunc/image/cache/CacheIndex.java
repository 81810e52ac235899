package org.jrunc.image.cache;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciIndex;
import org.jrunc.sif.OciJson;
import org.jrunc.sif.OciMediaTypes;
import org.jrunc.sif.SifException;

/**
 * The cache layout's index.json: which references were pulled, each naming its top manifest (an index or an image
 * manifest) by the {@code org.opencontainers.image.ref.name} annotation, as skopeo and umoci name images in a
 * layout. Updates are read-modify-write under a lock on index.lock, because concurrent pulls record into one file.
 */
public final class CacheIndex {
    static final String FILE = "index.json";
    static final String LOCK = "index.lock";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ImageCache cache;
    private final Path root;

    CacheIndex(ImageCache cache) {
        this.cache = cache;
        this.root = cache.root();
    }

    /** What the index holds now; empty when nothing was pulled yet. */
    public List<OciDescriptor> entries() {
        Path file = root.resolve(FILE);
        byte[] data;
        try {
            data = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new JruncException(file + ": cannot read: " + JruncException.reason(e), e);
        }
        try {
            OciIndex index =
                    OciJson.index(OciJson.parseObject(data, file.toString(), "index"), file.toString(), "index");
            return index.manifests();
        } catch (SifException e) {
            throw new JruncException(
                    e.getMessage() + " (the image cache's index; `jrunc cache clean --all` resets it)");
        }
    }

    /**
     * Names {@code manifest} {@code refName}, replacing what that name meant before, and marks its blob as used now
     * (`cache clean --older-than` goes by that time).
     */
    public void record(String refName, OciDescriptor manifest) {
        try {
            Files.setLastModifiedTime(
                    cache.blobPath(manifest.digest()), java.nio.file.attribute.FileTime.from(java.time.Instant.now()));
        } catch (IOException e) {
            // not cached (yet) or read-only: it only ages as if unused
        }
        update(entries -> {
            entries.removeIf(d -> refName.equals(d.referenceName().orElse(null)));
            entries.add(new OciDescriptor(
                    manifest.mediaType(),
                    manifest.digest(),
                    manifest.size(),
                    "",
                    java.util.Map.of(OciMediaTypes.REF_NAME_ANNOTATION, refName),
                    java.util.Optional.empty()));
        });
    }

    /** Drops the entries {@code unwanted} selects; returns them. */
    public List<OciDescriptor> remove(Predicate<OciDescriptor> unwanted) {
        List<OciDescriptor> removed = new ArrayList<>();
        update(entries -> {
            for (OciDescriptor d : entries) {
                if (unwanted.test(d)) {
                    removed.add(d);
                }
            }
            entries.removeAll(removed);
        });
        return removed;
    }

    private interface Edit {
        void apply(List<OciDescriptor> entries);
    }

    private void update(Edit edit) {
        Path lockFile = root.resolve(LOCK);
        try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = channel.lock()) {
            List<OciDescriptor> entries = new ArrayList<>(entries());
            edit.apply(entries);
            cache.writeAtomically(root.resolve(FILE), render(entries));
        } catch (IOException e) {
            throw new JruncException(
                    "image cache " + root + ": cannot update " + FILE + ": " + JruncException.reason(e), e);
        }
    }

    private static byte[] render(List<OciDescriptor> entries) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OciMediaTypes.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        for (OciDescriptor d : entries) {
            manifests.add(OciJson.descriptorNode(d));
        }
        return JSON.writeValueAsBytes(index);
    }
}
