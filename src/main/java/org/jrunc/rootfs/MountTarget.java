package org.jrunc.rootfs;

import static org.jrunc.sys.MountFlags.*;

import org.jrunc.JruncException;
import org.jrunc.sys.Flags;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Mount operations on descriptors: every target is an O_PATH fd resolved inside the rootfs and reached through
 * /proc/self/fd, so nothing swapped in by the container after the lookup can redirect the mount.
 */
final class MountTarget {
    private final Syscalls sys;
    private final RootPaths root;

    MountTarget(Syscalls sys, RootPaths root) {
        this.sys = sys;
        this.root = root;
    }

    /**
     * After mounting on a target fd, that fd still names the covered directory; re-resolve the path to get the new
     * mount's root and check it is still the same place (a changed path means something was swapped).
     */
    int reopen(int oldFd, String destination) {
        String before = sys.fdPath(oldFd);
        int fd = root.openIfExists(destination, 0);
        if (fd < 0) {
            throw new JruncException("mount point " + destination + " disappeared after mounting");
        }
        String after = sys.fdPath(fd);
        if (!after.equals(before)) {
            sys.close(fd);
            throw new JruncException(
                    "mount point " + destination + " moved while mounting (" + before + " -> " + after + ")");
        }
        return fd;
    }

    void applyPropagation(int fd, long propagation) {
        if (propagation != 0) {
            sys.mount("", RootPaths.procFd(fd), "", propagation, "");
        }
    }

    /**
     * Remounts a bind mount with the requested per-mount flags. If the kernel refuses because some flags are locked
     * (inherited across a user namespace), retry with the locked flags the mount already has, as mount(8) does for
     * "remount,bind" - unless the config asked to clear one of them.
     */
    void remountBind(int fd, long flags, long clearedFlags, String destination) {
        long request = (flags & ~(MS_REC | MS_BIND | MS_REMOUNT)) | MS_BIND | MS_REMOUNT;
        try {
            sys.mount("", RootPaths.procFd(fd), "", request, "");
        } catch (SyscallException first) {
            long current = MountFlags.fromStatfs(sys.fstatfs(fd).flags());
            long locked = MS_RDONLY | MS_NODEV | MS_NOEXEC | MS_NOSUID | MS_NOATIME | MS_NODIRATIME | MS_RELATIME;
            long cannotClear = current & clearedFlags & locked;
            if (cannotClear != 0) {
                throw new JruncException("mount " + destination + ": cannot clear locked flags 0x"
                        + Long.toHexString(cannotClear) + ": " + first.getMessage());
            }
            sys.mount("", RootPaths.procFd(fd), "", request | (current & locked), "");
        }
    }

    void applyRecursiveAttrs(int fd, long set, long clear) {
        if (set != 0 || clear != 0) {
            sys.mountSetattr(fd, "", Flags.AT_EMPTY_PATH | Flags.AT_RECURSIVE, set, clear, 0, -1);
        }
    }

    /** Remounts read-only, keeping nosuid/nodev/noexec as they are. */
    void remountReadonly(int fd) {
        long keep = MountFlags.fromStatfs(sys.fstatfs(fd).flags()) & (MS_NOSUID | MS_NODEV | MS_NOEXEC);
        sys.mount("", RootPaths.procFd(fd), "", keep | MS_BIND | MS_REMOUNT | MS_RDONLY, "");
    }
}
