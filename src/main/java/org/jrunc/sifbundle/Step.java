package org.jrunc.sifbundle;

import java.nio.file.Path;

/**
 * One thing `jrunc mount` made, recorded in the marker right after it was made; umount undoes them newest first.
 * Paths are relative to the bundle, so a bundle that was moved while unmounted can still be cleaned up.
 */
sealed interface Step {

    /** An empty directory: removed only while still empty. */
    record Dir(Path path) implements Step {}

    /** A directory whose whole content is ours (overlay/, volumes/, layers/): removed with everything in it. */
    record Tree(Path path) implements Step {}

    /** A file mount wrote (config.json). */
    record File(Path path) implements Step {}

    /**
     * A mount on {@code path}: {@code fsType} and {@code source} as mountinfo shows them, used to recognise it;
     * {@code fuse} mounts are undone with fusermount so an unprivileged caller can undo its own.
     */
    record Mount(Path path, String fsType, String source, boolean fuse) implements Step {}

    /** A loop device bound to {@code backingFile} at {@code offset}: AUTOCLEAR frees it, this catches stragglers. */
    record Loop(int number, String backingFile, long offset, long sizeLimit) implements Step {}
}
