package org.jrunc.image.squash;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jrunc.JruncException;

/**
 * An image's layers squashed into one tar stream: the tree overlayfs would show with the layers stacked, as
 * {@code singularity pull --oci} (oci-tools' mutate.Squash) and {@code umoci unpack} produce it, following the OCI
 * image-spec's layer rules.
 *
 * <p>Two passes, so that no layer is ever held in memory. The first reads every layer's headers, base first, into a
 * {@link SquashTree}: a layer's whiteouts ({@code .wh.NAME}, {@code .wh..wh..opq}) apply to the tree of the layers
 * below it before its own entries are added, so a whiteout and a new file of the same name in one layer leave the new
 * file; a later entry of the same path in one layer wins, as in extraction. The second writes the result:
 * every directory first (parents first, from the topmost layer's entry for it; a directory no entry names is 0755
 * root-owned with mtime 0), then, layer by layer, the surviving non-directory entries with their content streamed
 * from a second read of the layer. The output depends only on the layers, so the same layers give the same bytes.
 *
 * <p>A hard link shares its target's inode. When a later layer deletes or replaces the target's name, the content
 * goes out under a remaining name and the other names link to that one. A hard link to a path its own layer has not
 * had yet takes what the layers below hold there, as extraction onto them would; one to a path that nothing holds,
 * to a directory, or through a symbolic link is refused.
 *
 * <p>Refused, each in one line naming the layer's digest and the entry: absolute names, ".." components, names that
 * were not UTF-8, writes whose parent is a symbolic link or a non-directory in the tree so far, device nodes unless
 * {@link SquashOptions#privileged()}, sparse files and other entry types than the POSIX ones. Root ("./") entries
 * are skipped: the squashfs builder fixes the root's owner, mode and time, as Singularity does. Other {@code .wh..wh.}
 * names are aufs' own bookkeeping and are skipped, as containerd skips them.
 */
public final class LayerSquasher {
    private static final String WHITEOUT_PREFIX = ".wh.";
    private static final String OPAQUE = ".wh..wh..opq";
    private static final String AUFS_META_PREFIX = ".wh..wh.";
    private static final String ENCODING = StandardCharsets.UTF_8.name();

    private LayerSquasher() {}

    /**
     * Writes {@code layersBaseFirst} squashed as one tar to {@code tar} (which is flushed, not closed).
     *
     * @throws SquashException for a layer that cannot be read or is refused, naming its digest and entry
     * @throws IOException when {@code tar} cannot be written
     */
    public static SquashSummary squash(List<LayerBlob> layersBaseFirst, SquashOptions options, OutputStream tar)
            throws IOException {
        SquashTree tree = new SquashTree();
        for (int layer = 0; layer < layersBaseFirst.size(); layer++) {
            List<LayerEntry> entries = readHeaders(layersBaseFirst.get(layer), options);
            apply(tree, layer, layersBaseFirst.get(layer), entries);
        }
        TarArchiveOutputStream out = new TarArchiveOutputStream(tar, ENCODING);
        out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        out.setAddPaxHeadersForNonAsciiNames(true);
        Output output = new Output(out);
        for (SquashTree.Node directory : tree.directories()) {
            TarArchiveEntry entry = new TarArchiveEntry(directory.path + "/", TarConstants.LF_DIR);
            (directory.directory == null ? EntryMetadata.IMPLICIT_DIRECTORY : directory.directory)
                    .applyTo(entry, EntryKind.DIRECTORY, true);
            output.put(entry);
        }
        SortedMap<SquashTree.EntryRef, SquashTree.Inode> inodes = tree.inodes();
        for (int layer = 0; layer < layersBaseFirst.size(); layer++) {
            SortedMap<SquashTree.EntryRef, SquashTree.Inode> fromLayer =
                    inodes.subMap(new SquashTree.EntryRef(layer, 0), new SquashTree.EntryRef(layer + 1, 0));
            if (!fromLayer.isEmpty()) {
                copyInodes(layer, layersBaseFirst.get(layer), fromLayer, output);
            }
        }
        out.finish();
        out.flush();
        return new SquashSummary(output.entries, output.contentBytes);
    }

    /** One entry of a layer as the first pass keeps it: what it does, to which path, and nothing of its content. */
    private record LayerEntry(
            long index, String name, EntryKind kind, List<String> path, List<String> link, EntryMetadata metadata) {}

    private static List<LayerEntry> readHeaders(LayerBlob layer, SquashOptions options) {
        List<LayerEntry> entries = new ArrayList<>();
        try (LayerReader reader = new LayerReader(layer)) {
            for (TarArchiveEntry entry = reader.next(); entry != null; entry = reader.next()) {
                LayerEntry kept = classify(layer, reader.index, entry, options);
                if (kept != null) {
                    entries.add(kept);
                }
            }
        }
        return entries;
    }

    private static LayerEntry classify(LayerBlob layer, long index, TarArchiveEntry entry, SquashOptions options) {
        String name = entry.getName();
        try {
            List<String> path = EntryPath.components(name);
            String base = path.isEmpty() ? "" : path.get(path.size() - 1);
            List<String> parent = path.isEmpty() ? path : path.subList(0, path.size() - 1);
            if (base.equals(OPAQUE)) {
                return new LayerEntry(index, name, EntryKind.OPAQUE, parent, null, null);
            }
            if (base.startsWith(AUFS_META_PREFIX)) {
                return null;
            }
            if (base.startsWith(WHITEOUT_PREFIX)) {
                List<String> deleted = new ArrayList<>(parent);
                deleted.add(base.substring(WHITEOUT_PREFIX.length()));
                if (!EntryPath.components(EntryPath.join(deleted)).equals(deleted)) {
                    throw new EntryPath.Refused("whiteout of an empty, \".\" or \"..\" name");
                }
                return new LayerEntry(index, name, EntryKind.WHITEOUT, deleted, null, null);
            }
            EntryKind kind = kindOf(entry);
            if (path.isEmpty()) {
                if (kind != EntryKind.DIRECTORY) {
                    throw new EntryPath.Refused("the root is not a directory");
                }
                return null;
            }
            if (!options.privileged() && (kind == EntryKind.CHARACTER_DEVICE || kind == EntryKind.BLOCK_DEVICE)) {
                throw new EntryPath.Refused("a device node, which only root may create");
            }
            List<String> link = null;
            if (kind == EntryKind.HARD_LINK) {
                link = EntryPath.components(entry.getLinkName());
                if (link.isEmpty()) {
                    throw new EntryPath.Refused("hard link to the root");
                }
            }
            EntryMetadata metadata = kind == EntryKind.DIRECTORY ? EntryMetadata.of(entry) : null;
            return new LayerEntry(index, name, kind, path, link, metadata);
        } catch (EntryPath.Refused e) {
            throw SquashException.atEntry(layer.digest(), name, e.getMessage());
        }
    }

    private static EntryKind kindOf(TarArchiveEntry entry) throws EntryPath.Refused {
        if (entry.isSparse()) {
            throw new EntryPath.Refused("a sparse file, which is not supported");
        }
        if (entry.isDirectory()) {
            return EntryKind.DIRECTORY;
        }
        return switch (entry.getLinkFlag()) {
            case TarConstants.LF_OLDNORM, TarConstants.LF_NORMAL, TarConstants.LF_CONTIG -> EntryKind.REGULAR;
            case TarConstants.LF_LINK -> EntryKind.HARD_LINK;
            case TarConstants.LF_SYMLINK -> EntryKind.SYMLINK;
            case TarConstants.LF_CHR -> EntryKind.CHARACTER_DEVICE;
            case TarConstants.LF_BLK -> EntryKind.BLOCK_DEVICE;
            case TarConstants.LF_FIFO -> EntryKind.FIFO;
            default -> throw new EntryPath.Refused("unsupported entry type '" + (char) entry.getLinkFlag() + "'");
        };
    }

    /** Applies one layer to the tree: its whiteouts to what the layers below left, then its entries in order. */
    private static void apply(SquashTree tree, int layerIndex, LayerBlob layer, List<LayerEntry> entries) {
        for (LayerEntry entry : entries) {
            if (entry.kind == EntryKind.WHITEOUT) {
                tree.whiteout(entry.path);
            } else if (entry.kind == EntryKind.OPAQUE) {
                tree.makeOpaque(entry.path);
            }
        }
        for (LayerEntry entry : entries) {
            try {
                switch (entry.kind) {
                    case WHITEOUT, OPAQUE -> {}
                    case DIRECTORY -> tree.putDirectory(entry.path, entry.metadata);
                    case HARD_LINK -> tree.putInode(entry.path, tree.linkTarget(entry.link));
                    default ->
                        tree.putInode(
                                entry.path,
                                new SquashTree.Inode(
                                        new SquashTree.EntryRef(layerIndex, entry.index),
                                        EntryPath.join(entry.path),
                                        entry.kind));
                }
            } catch (EntryPath.Refused e) {
                throw SquashException.atEntry(layer.digest(), entry.name, e.getMessage());
            }
        }
    }

    /** Second pass over one layer: writes the inodes whose content it holds, then stops reading. */
    private static void copyInodes(
            int layerIndex, LayerBlob layer, SortedMap<SquashTree.EntryRef, SquashTree.Inode> inodes, Output output)
            throws IOException {
        long last = inodes.lastKey().index();
        try (LayerReader reader = new LayerReader(layer)) {
            for (TarArchiveEntry entry = reader.next(); entry != null; entry = reader.next()) {
                SquashTree.Inode inode = inodes.get(new SquashTree.EntryRef(layerIndex, reader.index));
                if (inode != null) {
                    copyInode(layer, reader, entry, inode, output);
                }
                if (reader.index == last) {
                    return;
                }
            }
        }
        throw SquashException.inLayer(layer.digest(), "has fewer entries on a second read than on the first");
    }

    private static void copyInode(
            LayerBlob layer, LayerReader reader, TarArchiveEntry entry, SquashTree.Inode inode, Output output)
            throws IOException {
        EntryMetadata metadata;
        try {
            if (!EntryPath.join(EntryPath.components(entry.getName())).equals(inode.sourcePath)) {
                throw new EntryPath.Refused("differs on a second read from the first");
            }
            metadata = EntryMetadata.of(entry);
        } catch (EntryPath.Refused e) {
            throw SquashException.atEntry(layer.digest(), entry.getName(), e.getMessage());
        }
        List<String> paths = inode.paths();
        String primary = paths.get(0);
        TarArchiveEntry out = new TarArchiveEntry(primary, linkFlag(inode.kind));
        metadata.applyTo(out, inode.kind, true);
        switch (inode.kind) {
            case REGULAR -> out.setSize(entry.getSize());
            case SYMLINK -> out.setLinkName(entry.getLinkName());
            case CHARACTER_DEVICE, BLOCK_DEVICE -> {
                out.setDevMajor(entry.getDevMajor());
                out.setDevMinor(entry.getDevMinor());
            }
            default -> {}
        }
        output.put(out);
        if (inode.kind == EntryKind.REGULAR) {
            output.copyContent(reader, entry.getSize());
        }
        for (String path : paths.subList(1, paths.size())) {
            TarArchiveEntry link = new TarArchiveEntry(path, TarConstants.LF_LINK);
            link.setLinkName(primary);
            metadata.applyTo(link, inode.kind, false);
            output.put(link);
        }
    }

    private static byte linkFlag(EntryKind kind) {
        return switch (kind) {
            case REGULAR -> TarConstants.LF_NORMAL;
            case SYMLINK -> TarConstants.LF_SYMLINK;
            case CHARACTER_DEVICE -> TarConstants.LF_CHR;
            case BLOCK_DEVICE -> TarConstants.LF_BLK;
            case FIFO -> TarConstants.LF_FIFO;
            default -> throw new IllegalArgumentException("no inode of kind " + kind);
        };
    }

    /** A layer's tar entries in order, with read failures turned into one line naming the layer and the entry. */
    private static final class LayerReader implements AutoCloseable {
        private final LayerBlob layer;
        private final TarArchiveInputStream in;
        private final UnterminatedTar raw;
        /** Where the current entry's data ends in the uncompressed stream. */
        private long dataEnd;
        /** The current entry's position in the layer (global PAX headers and all), -1 before the first. */
        long index = -1;

        private String current;

        LayerReader(LayerBlob layer) {
            this.layer = layer;
            this.raw = new UnterminatedTar(LayerStreams.open(layer));
            this.in = new TarArchiveInputStream(raw, ENCODING);
        }

        TarArchiveEntry next() {
            try {
                TarArchiveEntry entry;
                do {
                    entry = in.getNextEntry();
                    index++;
                } while (entry != null && entry.isGlobalPaxHeader());
                checkNotCutShort();
                current = entry == null ? null : entry.getName();
                dataEnd = entry == null ? dataEnd : in.getBytesRead() + entry.getSize();
                return entry;
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        /** Zeros supplied for a missing end must not have stood in for the previous entry's data. */
        private void checkNotCutShort() throws IOException {
            if (raw.endsBefore(dataEnd)) {
                throw new IOException("the layer ends inside this entry's data (truncated)");
            }
        }

        int read(byte[] buffer) {
            try {
                return in.read(buffer);
            } catch (IOException | RuntimeException e) {
                throw failure(e);
            }
        }

        private SquashException failure(Exception e) {
            String reason = e instanceof IOException io ? JruncException.reason(io) : e.toString();
            return current == null
                    ? SquashException.inLayer(layer.digest(), "cannot read the tar: " + reason, e)
                    : SquashException.atEntry(layer.digest(), current, "cannot read (at or after it): " + reason, e);
        }

        @Override
        public void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw failure(e);
            }
        }
    }

    /** The squashed tar being written, with its counts. */
    private static final class Output {
        private final TarArchiveOutputStream out;
        private final byte[] buffer = new byte[64 * 1024];
        long entries;
        long contentBytes;

        Output(TarArchiveOutputStream out) {
            this.out = out;
        }

        /** Writes an entry without content (or whose content {@link #copyContent} writes next). */
        void put(TarArchiveEntry entry) throws IOException {
            out.putArchiveEntry(entry);
            entries++;
            if (entry.getSize() == 0) {
                out.closeArchiveEntry();
            }
        }

        void copyContent(LayerReader reader, long size) throws IOException {
            if (size == 0) {
                return;
            }
            long copied = 0;
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                out.write(buffer, 0, n);
                copied += n;
            }
            if (copied != size) {
                throw SquashException.atEntry(
                        reader.layer.digest(),
                        reader.current,
                        "content ends after " + copied + " of " + size + " bytes");
            }
            contentBytes += copied;
            out.closeArchiveEntry();
        }
    }
}
