package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jrunc.sys.EffectiveIds;

/**
 * Singularity 4's way, for callers without loop devices (or without root): squashfuse at the extent's offset, and
 * fuse-overlayfs for the writable layer. For an unprivileged caller squashfuse shows every file as the caller's, as
 * Singularity 4 mounts it: the files' recorded owners (root, mostly) are not mapped in the caller's user namespace,
 * where they would be nobody's and unwritable even for the container's root; as the caller's they are that root's.
 * squashfuse before 0.2.0 (Debian 12 has 0.1.105) shows security.* xattrs as trusted.* (vasi/squashfuse#83), which
 * only CAP_SYS_ADMIN in the initial namespace may read, so a user's fuse-overlayfs fails to copy up (ENODATA) the
 * image's entries that carry one, such as SELinux labels: new files in the image's root and in volumes still work.
 */
final class FuseMountDriver implements MountDriver {
    private final FuseTools tools;
    private final Optional<EffectiveIds> filesOwner;

    FuseMountDriver(FuseTools tools, Caller caller) {
        this.tools = tools;
        this.filesOwner = caller.isRoot() ? Optional.empty() : Optional.of(caller.ids());
    }

    @Override
    public boolean stacksOnTarget() {
        return false;
    }

    @Override
    public void mountSquashfs(MountableImage image, SquashfsExtent extent, Path target, Journal journal) {
        journal.record(new Step.Mount(target, FuseTools.SQUASHFUSE_TYPE, "squashfuse", true));
        tools.mountSquashfs(image.file(), extent.offset(), journal.layout().resolve(target), filesOwner);
    }

    @Override
    public void mountOverlay(List<Path> lowers, Path target, Journal journal) {
        BundleLayout layout = journal.layout();
        journal.record(new Step.Mount(target, FuseTools.OVERLAY_TYPE, "fuse-overlayfs", true));
        tools.mountOverlay(
                lowers.stream().map(layout::resolve).toList(),
                layout.resolve(BundleLayout.UPPER),
                layout.resolve(BundleLayout.WORK),
                layout.resolve(target));
    }
}
