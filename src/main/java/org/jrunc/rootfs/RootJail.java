package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.*;
import static org.jrunc.sys.MountFlags.*;

import org.jrunc.sys.MountFlags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Makes the prepared rootfs the process's root: pivot_root(".", ".") and a lazy unmount of the old root (so nothing of
 * the host stays reachable), or MS_MOVE + chroot with --no-pivot. Then the root mount gets its own propagation and,
 * if asked, becomes read-only. In a mount namespace the container shares, chroot alone: pivot_root or MS_MOVE would
 * change the root of every process in it.
 */
public final class RootJail {
    private final Syscalls sys;
    private final RootfsPlan plan;

    public RootJail(Syscalls sys, RootfsPlan plan) {
        this.sys = sys;
        this.plan = plan;
    }

    public void enter(int rootFd) {
        if (!plan.ownMountNamespace()) {
            sys.fchdir(rootFd);
            sys.chroot(".");
            sys.chdir("/");
            return;
        }
        if (plan.noPivot()) {
            moveRoot(rootFd);
        } else {
            pivot(rootFd);
        }
        // shared and unbindable apply to the new root itself; slave and private were set before any mount
        if ((plan.propagation() & (MS_SHARED | MS_UNBINDABLE)) != 0) {
            sys.mount("", "/", "", plan.propagation(), "");
        }
    }

    /** root.readonly, applied last (after process.cwd has been created), as runc does. */
    public void finish() {
        if (plan.readonly()) {
            makeRootReadonly();
        }
    }

    private void pivot(int rootFd) {
        int oldRoot = sys.open("/", O_DIRECTORY | O_PATH, 0);
        try {
            sys.fchdir(rootFd);
            // pivot_root(".", ".") stacks the old root under the new one; no put_old directory is needed
            sys.pivotRoot(".", ".");
            sys.fchdir(oldRoot);
            sys.mount("", ".", "", MS_SLAVE | MS_REC, "");
            sys.umount2(".", MNT_DETACH);
            sys.chdir("/");
        } finally {
            sys.close(oldRoot);
        }
    }

    private void moveRoot(int rootFd) {
        sys.fchdir(rootFd);
        sys.mount(plan.rootfs(), "/", "", MS_MOVE, "");
        sys.chroot(".");
        sys.chdir("/");
    }

    private void makeRootReadonly() {
        try {
            sys.mount("", "/", "", MS_BIND | MS_REMOUNT | MS_RDONLY, "");
        } catch (SyscallException e) {
            // locked flags (user namespace): keep the ones the mount has and add ro
            int fd = sys.open("/", O_PATH | O_DIRECTORY, 0);
            try {
                long current = MountFlags.fromStatfs(sys.fstatfs(fd).flags());
                sys.mount("", "/", "", MS_BIND | MS_REMOUNT | MS_RDONLY | current, "");
            } finally {
                sys.close(fd);
            }
        }
    }
}
