package org.jrunc.sif;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an OCI image layout directory (index.json + blobs/sha256/...) as an OCI-SIF, laid out as sylabs' oci-tools
 * does, so the result is byte-identical to its output for the same layout:
 * <ul>
 * <li>a deterministic image (nil ID, unset times, no launch script) with exactly as many descriptor slots as
 * objects, plus the requested spare ones (Singularity asks for 8, for signatures and overlays);</li>
 * <li>objects depth-first in index order, all in group 1, unaligned: for an image its layers, config, manifest;
 * for a nested index its children, then the index; for anything else the blob;</li>
 * <li>index.json itself last, as the OCI.RootIndex object.</li>
 * </ul>
 * Blobs are not deduplicated (neither are they by oci-tools), and each one's sha256 must match its name.
 */
public final class OciSifWriter {
    private OciSifWriter() {}

    private static final int MAX_INDEX_DEPTH = 8;

    public static void writeLayout(Path layoutDir, Path target, int spareDescriptors) {
        if (spareDescriptors < 0) {
            throw new IllegalArgumentException("negative spare descriptor count");
        }
        Path indexFile = layoutDir.resolve("index.json");
        byte[] rootIndex = readJsonFile(indexFile);
        OciIndex root = OciJson.index(
                OciJson.parseObject(rootIndex, indexFile.toString(), "index"), indexFile.toString(), "index");
        List<OciDigest> blobs = new ArrayList<>();
        planIndex(layoutDir, root, 0, blobs);

        int capacity = blobs.size() + 1 + spareDescriptors;
        if (capacity > SifFormat.MAX_DESCRIPTORS) {
            throw new SifException(
                    layoutDir.toString(),
                    "layout needs " + capacity + " descriptors, more than " + SifFormat.MAX_DESCRIPTORS);
        }
        SifCreateOptions options = SifCreateOptions.deterministic().withDescriptorCapacity(capacity);
        try (SifWriter writer = SifWriter.create(target, options)) {
            for (OciDigest digest : blobs) {
                Path blob = blobPath(layoutDir, digest);
                SifDescriptor d = writer.add(SifObjectInput.of(SifDataType.OCI_BLOB, blob));
                if (!d.ociDigest().orElseThrow().equals(digest.toString())) {
                    throw new SifException(
                            blob.toString(),
                            "content hashes to " + d.ociDigest().orElseThrow() + ", not to its name");
                }
            }
            writer.add(SifObjectInput.of(SifDataType.OCI_ROOT_INDEX, rootIndex));
        } catch (RuntimeException e) {
            deleteIncomplete(target, e);
            throw e;
        }
    }

    /**
     * An OCI-SIF written blob by blob, for a caller that learns the digests as it writes: a pull adds its layer,
     * then the config and manifest that name the layer's digest, then the root index, in the order
     * {@link #writeLayout} uses. Closing it unfinished deletes the file.
     */
    public static ImageWriter image(Path target, int blobs, int spareDescriptors) {
        int capacity = blobs + 1 + spareDescriptors;
        if (blobs < 1 || spareDescriptors < 0 || capacity > SifFormat.MAX_DESCRIPTORS) {
            throw new IllegalArgumentException(
                    "an OCI-SIF of " + blobs + " blobs and " + spareDescriptors + " spare slots");
        }
        return new ImageWriter(
                target,
                SifWriter.create(target, SifCreateOptions.deterministic().withDescriptorCapacity(capacity)));
    }

    /** See {@link #image}. */
    public static final class ImageWriter implements AutoCloseable {
        private final Path target;
        private final SifWriter writer;
        private boolean finished;

        private ImageWriter(Path target, SifWriter writer) {
            this.target = target;
            this.writer = writer;
        }

        /** Appends a blob from a file; returns its descriptor, whose size and digest the writer measured. */
        public SifDescriptor add(Path file) {
            return writer.add(SifObjectInput.of(SifDataType.OCI_BLOB, file));
        }

        public SifDescriptor add(byte[] bytes) {
            return writer.add(SifObjectInput.of(SifDataType.OCI_BLOB, bytes));
        }

        /** Appends the root index, last, which completes the image. */
        public void finish(byte[] rootIndex) {
            writer.add(SifObjectInput.of(SifDataType.OCI_ROOT_INDEX, rootIndex));
            finished = true;
        }

        @Override
        public void close() {
            writer.close();
            if (!finished) {
                try {
                    Files.deleteIfExists(target);
                } catch (IOException e) {
                    throw SifException.io(target.toString(), "cannot delete the unfinished OCI-SIF", e);
                }
            }
        }
    }

    /** A half-written OCI-SIF would open fine but lack its root index; better no file than a misleading one. */
    private static void deleteIncomplete(Path target, RuntimeException pending) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            pending.addSuppressed(e);
        }
    }

    /** Appends, in write order, every blob the index entries reach (not the index itself). */
    private static void planIndex(Path layoutDir, OciIndex index, int depth, List<OciDigest> blobs) {
        for (OciDescriptor entry : index.manifests()) {
            if (OciMediaTypes.isIndex(entry.mediaType())) {
                if (depth >= MAX_INDEX_DEPTH) {
                    throw new SifException(
                            layoutDir.toString(), "OCI indexes nested more than " + MAX_INDEX_DEPTH + " deep");
                }
                Path file = blobPath(layoutDir, entry.digest());
                OciIndex nested = OciJson.index(
                        OciJson.parseObject(readJsonFile(file), file.toString(), "index"), file.toString(), "index");
                planIndex(layoutDir, nested, depth + 1, blobs);
                blobs.add(entry.digest());
            } else if (OciMediaTypes.isImageManifest(entry.mediaType())) {
                Path file = blobPath(layoutDir, entry.digest());
                OciManifest manifest = OciJson.manifest(
                        OciJson.parseObject(readJsonFile(file), file.toString(), "manifest"),
                        file.toString(),
                        "manifest");
                manifest.layers().forEach(l -> blobs.add(l.digest()));
                blobs.add(manifest.config().digest());
                blobs.add(entry.digest());
            } else {
                blobs.add(entry.digest());
            }
        }
    }

    /** SIF records sha256 digests only, so a layout naming blobs by another algorithm could not be looked up. */
    private static Path blobPath(Path layoutDir, OciDigest digest) {
        if (!OciDigest.SHA256.equals(digest.algorithm())) {
            throw new SifException(
                    layoutDir.toString(), "blob " + digest + " is not a sha256 digest, which OCI-SIF" + " requires");
        }
        return layoutDir.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex());
    }

    private static byte[] readJsonFile(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes(OciSif.MAX_JSON_BYTES + 1);
            if (data.length > OciSif.MAX_JSON_BYTES) {
                throw new SifException(
                        file.toString(), "JSON document larger than " + OciSif.MAX_JSON_BYTES + " bytes");
            }
            return data;
        } catch (IOException e) {
            throw SifException.io(file.toString(), "cannot read", e);
        }
    }
}
