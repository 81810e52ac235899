package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.jrunc.JruncException;

/**
 * BUNDLE/.jrunc-mount.json on disk. It is rewritten after every step of mount and of umount, always by renaming a
 * complete temporary file over it, so whatever happens the marker on disk describes what is really there.
 */
final class MarkerFile {
    /** A marker is a few KB; anything much larger is not ours. */
    private static final int MAX_BYTES = 1024 * 1024;

    private final BundleLayout layout;

    MarkerFile(BundleLayout layout) {
        this.layout = layout;
    }

    /** Writes the first marker, failing if one exists (another mount into the same bundle). */
    void create(MountMarker marker) {
        try {
            writeFile(layout.marker(), MarkerCodec.encode(marker), StandardOpenOption.CREATE_NEW);
        } catch (FileAlreadyExistsException e) {
            throw new JruncException(Shown.of(layout.marker()) + " already exists: the bundle is already mounted");
        } catch (IOException e) {
            throw IoErrors.failure("cannot write", layout.marker(), e);
        }
    }

    void replace(MountMarker marker) {
        Path temp = layout.markerTemp();
        try {
            writeFile(
                    temp, MarkerCodec.encode(marker), StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            Files.move(temp, layout.marker(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw IoErrors.failure("cannot update", layout.marker(), e);
        }
    }

    MountMarker read() {
        Path file = layout.marker();
        byte[] data;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) || ch.size() > MAX_BYTES) {
                throw new JruncException(Shown.of(file) + ": not a marker written by jrunc mount");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // fill
            }
            data = buf.array();
        } catch (NoSuchFileException e) {
            throw new JruncException(Shown.of(layout.bundle()) + ": no " + BundleLayout.MARKER
                    + ", so this is not a bundle made by jrunc mount; refusing to unmount or delete anything in it");
        } catch (IOException e) {
            throw IoErrors.failure("cannot read", file, e);
        }
        return MarkerCodec.decode(data, Shown.of(file));
    }

    /** Removes the marker and a temporary file a crash may have left. */
    void delete() {
        try {
            Files.deleteIfExists(layout.markerTemp());
            Files.deleteIfExists(layout.marker());
        } catch (IOException e) {
            throw IoErrors.failure("cannot remove", layout.marker(), e);
        }
    }

    private static void writeFile(Path file, byte[] data, OpenOption... options) throws IOException {
        Set<OpenOption> opts = new HashSet<>(Set.of(options));
        opts.add(StandardOpenOption.WRITE);
        opts.add(LinkOption.NOFOLLOW_LINKS);
        try (FileChannel ch = FileChannel.open(
                file, opts, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))) {
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
    }
}
