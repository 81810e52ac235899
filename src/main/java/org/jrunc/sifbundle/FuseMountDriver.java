package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;

/**
 * Singularity 4's way, for callers without loop devices (or without root): squashfuse at the extent's offset, and
 * fuse-overlayfs for the writable layer.
 */
final class FuseMountDriver implements MountDriver {
    private final FuseTools tools;

    FuseMountDriver(FuseTools tools) {
        this.tools = tools;
    }

    @Override
    public boolean stacksOnTarget() {
        return false;
    }

    @Override
    public void mountSquashfs(MountableImage image, SquashfsExtent extent, Path target, Journal journal) {
        journal.record(new Step.Mount(target, FuseTools.SQUASHFUSE_TYPE, "squashfuse", true));
        tools.mountSquashfs(image.file(), extent.offset(), journal.layout().resolve(target));
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
