package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;

/** The FUSE drivers mount uses when loop devices are not an option: squashfuse, fuse-overlayfs, fusermount. */
interface FuseTools {
    /** mountinfo's type for each driver's mounts. */
    String SQUASHFUSE_TYPE = "fuse.squashfuse";

    String OVERLAY_TYPE = "fuse.fuse-overlayfs";

    /** Fails unless every tool is installed, so a missing one is reported before anything is made. */
    void check();

    void mountSquashfs(Path image, long offset, Path target);

    /** {@code lowers} topmost first, as overlay's lowerdir lists them. */
    void mountOverlay(List<Path> lowers, Path upper, Path work, Path target);

    void unmount(Path target);
}
