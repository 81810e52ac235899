package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jrunc.sys.EffectiveIds;

/**
 * The FUSE drivers mount uses when loop devices are not an option (not root, none on the host, or --squashfuse):
 * squashfuse, fuse-overlayfs, and fusermount3 (or fusermount), the setuid helper through which a user mounts and
 * unmounts them: umount2 fails with EPERM for a user.
 */
interface FuseTools {
    /** mountinfo's type for each driver's mounts. */
    String SQUASHFUSE_TYPE = "fuse.squashfuse";

    String OVERLAY_TYPE = "fuse.fuse-overlayfs";

    /**
     * Fails unless every tool is installed and /dev/fuse can be opened, so a missing one is reported before
     * anything is made.
     */
    void check();

    /**
     * With an {@code owner}, every file shows as its (Singularity 4's uid=/gid= options); without, files keep the
     * owners recorded in the image, as with the kernel squashfs driver.
     */
    void mountSquashfs(Path image, long offset, Path target, Optional<EffectiveIds> owner);

    /** {@code lowers} topmost first, as overlay's lowerdir lists them. */
    void mountOverlay(List<Path> lowers, Path upper, Path work, Path target);

    void unmount(Path target);
}
