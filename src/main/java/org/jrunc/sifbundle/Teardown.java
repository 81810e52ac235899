package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.jrunc.JruncException;
import org.jrunc.Pause;
import org.jrunc.log.Log;
import org.jrunc.rootfs.MountTable;
import org.jrunc.sys.Errno;
import org.jrunc.sys.LoopBinding;
import org.jrunc.sys.LoopDevices;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Undoes what a marker lists, newest first: unmounts what is still mounted (and recognisably ours) and makes sure
 * the loop devices are gone, then deletes the directories and files mount made, then the marker and, if mount
 * created it and nothing else is in it, the bundle directory. The marker is rewritten after each step, so a failure (a
 * busy mount) stops with a marker that lists exactly what is left, and running umount again continues from there.
 * Used both by umount and to roll back a failed mount.
 */
final class Teardown {
    private static final long POLL_MS = 20;

    private final BundleLayout layout;
    private final Syscalls sys;
    private final LoopDevices loops;
    private final FuseTools fuse;
    private final Host host;
    /** AUTOCLEAR runs when the filesystem lets go of the device; give it this long before detaching by hand. */
    private long loopReleaseWaitMs = 2000;
    /** How long a copy of our mounts in another namespace may take to go away (see checkNotUsedElsewhere). */
    private long otherNamespaceWaitMs = 1000;

    Teardown(BundleLayout layout, Syscalls sys, LoopDevices loops, FuseTools fuse, Host host) {
        this.layout = layout;
        this.sys = sys;
        this.loops = loops;
        this.fuse = fuse;
        this.host = host;
    }

    /** Shorter waits (tests). */
    Teardown withWaits(long loopReleaseMs, long otherNamespaceMs) {
        this.loopReleaseWaitMs = loopReleaseMs;
        this.otherNamespaceWaitMs = otherNamespaceMs;
        return this;
    }

    /** Returns what was left in place because it holds things mount did not make (the bundle, a directory). */
    List<Path> run(MountMarker marker, MarkerFile file) {
        List<Step> steps = new ArrayList<>(marker.steps());
        List<Path> kept = new ArrayList<>();
        // mounts and loop devices first: if one is busy, nothing has been deleted yet and the bundle still works
        undoAll(steps, true, marker, file, kept);
        undoAll(steps, false, marker, file, kept);
        file.delete();
        if (marker.createdBundle()) {
            removeDir(layout.bundle(), kept);
        }
        return kept;
    }

    /** Undoes, newest first, the steps that are (or are not) mounts and loop devices, rewriting the marker each time. */
    private void undoAll(List<Step> steps, boolean mountSteps, MountMarker marker, MarkerFile file, List<Path> kept) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if ((step instanceof Step.Mount || step instanceof Step.Loop) == mountSteps) {
                undo(step, kept);
                steps.remove(i);
                file.replace(new MountMarker(marker.image(), marker.createdBundle(), steps));
            }
        }
    }

    private void undo(Step step, List<Path> kept) {
        if (step instanceof Step.Mount m) {
            unmount(m);
        } else if (step instanceof Step.Loop l) {
            release(l);
        } else if (step instanceof Step.Tree t) {
            removeTree(layout.resolve(t.path()));
        } else if (step instanceof Step.Dir d) {
            removeDir(layout.resolve(d.path()), kept);
        } else if (step instanceof Step.File f) {
            removeFile(layout.resolve(f.path()), kept);
        }
    }

    /**
     * Nothing of ours there any more (a reboot, or a mount that failed after being recorded): nothing to do. Ours
     * but covered by something else: refuse, unmounting the top one would undo someone else's mount.
     */
    private void unmount(Step.Mount m) {
        Path target = layout.resolve(m.path());
        MountTable table = host.mounts();
        if (table.at(target).stream().noneMatch(e -> isOurs(e, m))) {
            return;
        }
        MountTable.Entry top = table.top(target).orElseThrow();
        if (!isOurs(top, m)) {
            throw new JruncException(Shown.of(target) + ": the " + m.fsType() + " mount made by jrunc mount is covered"
                    + " by another mount (" + top.fsType() + " from " + Shown.of(top.source()) + "); unmount that"
                    + " first");
        }
        checkNotUsedElsewhere(target, top);
        if (m.fuse()) {
            fuse.unmount(target);
            return;
        }
        try {
            sys.umount2(target.toString(), MountFlags.UMOUNT_NOFOLLOW);
        } catch (SyscallException e) {
            if (e.errno() == Errno.EBUSY) {
                throw new JruncException(Shown.of(target) + " is busy: a process still uses the " + m.fsType()
                        + " mount (delete containers running from this bundle first)");
            }
            throw new JruncException("cannot unmount " + Shown.of(target) + ": " + e.getMessage());
        }
    }

    /**
     * A container created from the bundle has the mounts in its own mount namespace: unmounting here would succeed,
     * and the deletions that follow would pull the overlay's files from under it. A namespace being set up right
     * now may hold a copy for a moment before it drops the host's mounts, so a user must persist to count.
     */
    private void checkNotUsedElsewhere(Path target, MountTable.Entry mount) {
        long deadline = System.nanoTime() + otherNamespaceWaitMs * 1_000_000;
        OptionalInt user;
        while ((user = host.userInOtherNamespace(mount.device())).isPresent() && System.nanoTime() < deadline) {
            sleep();
        }
        if (user.isPresent()) {
            throw new JruncException(Shown.of(target) + ": the " + mount.fsType() + " mount is still used by process "
                    + user.getAsInt() + " in another mount namespace (a container created from this bundle?);"
                    + " delete it first");
        }
    }

    private static boolean isOurs(MountTable.Entry e, Step.Mount m) {
        return e.fsType().equals(m.fsType()) && e.source().equals(m.source());
    }

    /**
     * Normally AUTOCLEAR has already freed the device when its filesystem was unmounted (or at the reboot).
     * LOOP_CLR_FD is the fallback; for a device still in use (say, by a container's mount namespace) it only sets
     * AUTOCLEAR, so it is safe even then, and the device goes when its last user does.
     */
    private void release(Step.Loop l) {
        if (!waitForRelease(l)) {
            loops.detach(l.number());
            if (!waitForRelease(l)) {
                Log.warn("loop device /dev/loop" + l.number() + " for " + Shown.of(l.backingFile())
                        + " is still in use; the kernel frees it when its last user goes");
            }
        }
    }

    /** Whether loopN stopped being the device we attached within the wait. */
    private boolean waitForRelease(Step.Loop l) {
        long deadline = System.nanoTime() + loopReleaseWaitMs * 1_000_000;
        while (true) {
            Optional<LoopBinding> b = loops.binding(l.number());
            if (b.isEmpty()
                    || !b.get().backingFile().equals(l.backingFile())
                    || b.get().offset() != l.offset()
                    || b.get().sizeLimit() != l.sizeLimit()) {
                return true;
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            sleep();
        }
    }

    private void checkNoMountsIn(Path dir) {
        host.mounts().atOrBelow(dir).ifPresent(e -> {
            throw new JruncException("not removing " + Shown.of(dir) + ": " + Shown.of(e.mountPoint())
                    + " is still a mount point (" + e.fsType() + "); unmount it first");
        });
    }

    /** Everything in it is ours; symlinks are removed, never followed, and nothing mounted is crossed. */
    private void removeTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        checkNoMountsIn(dir);
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw IoErrors.failure("cannot remove", dir, e);
        }
    }

    /** Removed only when empty; a directory that holds anything else (or is no longer a directory) is kept. */
    private void removeDir(Path dir, List<Path> kept) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            kept.add(dir);
            return;
        }
        checkNoMountsIn(dir);
        try {
            Files.delete(dir);
        } catch (DirectoryNotEmptyException e) {
            kept.add(dir);
        } catch (IOException e) {
            throw IoErrors.failure("cannot remove", dir, e);
        }
    }

    /** Removed only while it is still a regular file: a directory or link put in its place is not ours. */
    private void removeFile(Path file, List<Path> kept) {
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            kept.add(file);
            return;
        }
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw IoErrors.failure("cannot remove", file, e);
        }
    }

    private static void sleep() {
        if (!Pause.millis(POLL_MS)) {
            throw new JruncException("interrupted while unmounting");
        }
    }
}
