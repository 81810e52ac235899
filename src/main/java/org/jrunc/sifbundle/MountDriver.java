package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;

/**
 * How the image's filesystems and the writable overlay get mounted: kernel loop + squashfs + overlayfs, or the FUSE
 * drivers. Each mount is recorded in the journal before it is attempted, so a crash right after it still leaves a
 * marker that lists it. Paths are relative to the bundle.
 */
interface MountDriver {
    /**
     * Whether an image filesystem can be mounted on the overlay's own path and still serve as its lower. The kernel
     * resolves lowerdir before the overlay covers it; a FUSE overlay mounted by an unprivileged user cannot even
     * reach a FUSE mount point of that user through the setuid fusermount, so FUSE lowers get their own directory.
     */
    boolean stacksOnTarget();

    /** Mounts {@code extent} of the image read-only on {@code target}. */
    void mountSquashfs(MountableImage image, SquashfsExtent extent, Path target, Journal journal);

    /** Mounts an overlay of {@code lowers} (topmost first) with overlay/upper and overlay/work on {@code target}. */
    void mountOverlay(List<Path> lowers, Path target, Journal journal);
}
