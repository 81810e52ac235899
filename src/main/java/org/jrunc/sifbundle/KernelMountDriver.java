package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.LoopDevice;
import org.jrunc.sys.LoopDevices;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Apptainer's way: a read-only AUTOCLEAR loop device over the squashfs bytes, mounted read-only; then overlayfs with
 * the mounted image as lowerdir, on the same path. The loop descriptor is closed once the filesystem holds the
 * device, so unmounting it frees the loop device without any further call.
 */
final class KernelMountDriver implements MountDriver {
    private final Syscalls sys;
    private final LoopDevices loops;

    KernelMountDriver(Syscalls sys, LoopDevices loops) {
        this.sys = sys;
        this.loops = loops;
    }

    @Override
    public boolean stacksOnTarget() {
        return true;
    }

    @Override
    public void mountSquashfs(MountableImage image, SquashfsExtent extent, Path target, Journal journal) {
        String file = image.file().toString();
        long sizeLimit = extent.loopSizeLimit(file, image.fileSize());
        Path where = journal.layout().resolve(target);
        LoopDevice loop;
        try {
            loop = loops.attachReadOnly(file, extent.offset(), sizeLimit);
        } catch (SyscallException e) {
            throw new JruncException(Shown.of(file) + ": cannot attach a loop device to " + extent.what()
                    + " at offset " + extent.offset() + ": " + e.getMessage());
        }
        try (loop) {
            journal.record(new Step.Loop(loop.number(), file, extent.offset(), sizeLimit));
            journal.record(new Step.Mount(target, "squashfs", loop.path(), false));
            sys.mount(loop.path(), where.toString(), "squashfs", MountFlags.MS_RDONLY, "");
        } catch (SyscallException e) {
            throw new JruncException(Shown.of(file) + ": cannot mount " + extent.what() + " (squashfs on " + loop.path()
                    + ") on " + Shown.of(where) + ": " + Errno.describe(e.errno()));
        }
    }

    @Override
    public void mountOverlay(List<Path> lowers, Path target, Journal journal) {
        BundleLayout layout = journal.layout();
        // the lower on the target path itself is resolved before the overlay covers it (as Singularity does)
        String options = "lowerdir="
                + lowers.stream().map(l -> layout.resolve(l).toString()).collect(Collectors.joining(":")) + ",upperdir="
                + layout.resolve(BundleLayout.UPPER) + ",workdir="
                + layout.resolve(BundleLayout.WORK);
        Path where = layout.resolve(target);
        journal.record(new Step.Mount(target, "overlay", "overlay", false));
        try {
            sys.mount("overlay", where.toString(), "overlay", 0, options);
        } catch (SyscallException e) {
            throw new JruncException("cannot mount the writable overlay on " + Shown.of(where) + " (" + options + "): "
                    + Errno.describe(e.errno()));
        }
    }
}
