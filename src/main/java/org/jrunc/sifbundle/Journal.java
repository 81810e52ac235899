package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jrunc.JruncException;

/**
 * mount's side of the marker: makes directories and files and records each one, and records the mounts and loop
 * devices the drivers make, rewriting the marker after every step. A failed mount hands {@link #marker()} to
 * {@link Teardown}; a crashed one leaves a marker that `jrunc umount` can act on.
 */
final class Journal {
    private final BundleLayout layout;
    private final MarkerFile file;
    private final String image;
    private final boolean createdBundle;
    private final List<Step> steps = new ArrayList<>();

    private Journal(BundleLayout layout, String image, boolean createdBundle) {
        this.layout = layout;
        this.file = new MarkerFile(layout);
        this.image = image;
        this.createdBundle = createdBundle;
    }

    /** Creates the bundle directory (0700, as Singularity) unless it exists, then the first marker. */
    static Journal begin(BundleLayout layout, String image) {
        Path bundle = layout.bundle();
        boolean created = false;
        if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
            createDirectory(bundle);
            created = true;
        }
        Journal journal = new Journal(layout, image, created);
        try {
            if (created) {
                chmod(bundle, "rwx------");
            }
            journal.file.create(journal.marker());
        } catch (RuntimeException e) {
            if (created) {
                deleteQuietly(bundle, e);
            }
            throw e;
        }
        return journal;
    }

    MarkerFile file() {
        return file;
    }

    BundleLayout layout() {
        return layout;
    }

    MountMarker marker() {
        return new MountMarker(image, createdBundle, steps);
    }

    void record(Step step) {
        steps.add(step);
        file.replace(marker());
    }

    /** An empty directory, e.g. rootfs (a mount point) or overlay/upper inside a recorded tree. */
    void mkdir(Path relative, String permissions) {
        createDirectory(layout.resolve(relative));
        record(new Step.Dir(relative));
        chmod(layout.resolve(relative), permissions);
    }

    /** A directory whose content is all ours, removed recursively by umount. */
    void mkdirTree(Path relative, String permissions) {
        createDirectory(layout.resolve(relative));
        record(new Step.Tree(relative));
        chmod(layout.resolve(relative), permissions);
    }

    /** A directory inside a recorded tree: nothing to record, the tree's removal covers it. */
    void mkdirInTree(Path relative, String permissions) {
        createDirectory(layout.resolve(relative));
        chmod(layout.resolve(relative), permissions);
    }

    void writeFile(Path relative, byte[] data, String permissions) {
        Path target = layout.resolve(relative);
        try (FileChannel ch = FileChannel.open(
                target,
                Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(permissions)))) {
            record(new Step.File(relative));
            chmod(target, permissions);
            ByteBuffer buf = ByteBuffer.wrap(data);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        } catch (IOException e) {
            throw IoErrors.failure("cannot write", target, e);
        }
    }

    /** createDirectory never follows a symlink at the path (an existing one is an error). */
    private static void createDirectory(Path dir) {
        try {
            Files.createDirectory(dir);
        } catch (NoSuchFileException e) {
            throw new JruncException("cannot create " + Shown.of(dir) + ": its parent directory does not exist");
        } catch (IOException e) {
            throw IoErrors.failure("cannot create", dir, e);
        }
    }

    /** The mode is set explicitly after creation, so the caller's umask does not matter (Singularity sets umask 0). */
    private static void chmod(Path path, String permissions) {
        try {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
        } catch (IOException e) {
            throw IoErrors.failure("cannot set the mode of", path, e);
        }
    }

    private static void deleteQuietly(Path dir, RuntimeException pending) {
        try {
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            pending.addSuppressed(e);
        }
    }
}
