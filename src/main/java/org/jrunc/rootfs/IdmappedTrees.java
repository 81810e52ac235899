package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.AT_EMPTY_PATH;
import static org.jrunc.sys.Flags.AT_FDCWD;
import static org.jrunc.sys.Flags.AT_RECURSIVE;
import static org.jrunc.sys.MountFlags.MOUNT_ATTR_IDMAP;
import static org.jrunc.sys.MountFlags.OPEN_TREE_CLOEXEC;
import static org.jrunc.sys.MountFlags.OPEN_TREE_CLONE;

import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.StatFs;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * The host side of an idmapped bind mount: a detached copy of the source (open_tree with OPEN_TREE_CLONE) whose ids
 * are mapped through a user namespace (mount_setattr MOUNT_ATTR_IDMAP). Only a detached mount may get a mapping, and
 * only a caller privileged over the source's filesystem (the host's root for a disk filesystem) may give it one, which
 * an init in a user namespace is not: so the runtime makes the tree and the init moves it onto its destination
 * ({@link RootfsSetup}), as runc does with its "mountfd".
 */
public final class IdmappedTrees {
    private IdmappedTrees() {}

    /** The tree's descriptor (close-on-exec); the mapping is the user namespace open as {@code usernsFd}. */
    public static int detach(Syscalls sys, IdmappedMount m, int usernsFd) {
        int tree;
        try {
            tree = sys.openTree(
                    AT_FDCWD, m.source(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (m.recursiveTree() ? AT_RECURSIVE : 0));
        } catch (SyscallException e) {
            throw new JruncException(m.name() + ": bind mount source " + m.source() + ": " + Errno.describe(e.errno()));
        }
        try {
            sys.mountSetattr(
                    tree, "", AT_EMPTY_PATH | (m.recursive() ? AT_RECURSIVE : 0), MOUNT_ATTR_IDMAP, 0, 0, usernsFd);
            return tree;
        } catch (SyscallException e) {
            String why = e.errno() == Errno.EINVAL ? notSupported(sys, tree, m) : e.getMessage();
            sys.close(tree);
            throw new JruncException(m.name() + ": idmapped mount of " + m.source() + ": " + why);
        }
    }

    /** EINVAL from a fresh detached tree: the filesystem does not allow idmapped mounts (FS_ALLOW_IDMAP). */
    private static String notSupported(Syscalls sys, int tree, IdmappedMount m) {
        String fs = fsName(sys.fstatfs(tree).type());
        String which = m.recursive()
                ? "its filesystem (" + fs + ") or that of a mount under it"
                : "its filesystem (" + fs + ")";
        return which + " does not support idmapped mounts on Linux " + System.getProperty("os.version", "?")
                + " (mount_setattr MOUNT_ATTR_IDMAP: " + Errno.describe(Errno.EINVAL) + ")";
    }

    /** A few filesystems by statfs magic, for the message; others by their number. */
    static String fsName(long magic) {
        if (magic == StatFs.SYSFS_MAGIC) {
            return "sysfs";
        }
        if (magic == StatFs.PROC_SUPER_MAGIC) {
            return "proc";
        }
        if (magic == StatFs.TMPFS_MAGIC) {
            return "tmpfs";
        }
        if (magic == StatFs.CGROUP_SUPER_MAGIC || magic == StatFs.CGROUP2_SUPER_MAGIC) {
            return "cgroup";
        }
        if (magic == StatFs.OVERLAYFS_SUPER_MAGIC) {
            return "overlay";
        }
        return "statfs type 0x" + Long.toHexString(magic);
    }
}
