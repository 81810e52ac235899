package org.jrunc.rootfs;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.jrunc.sys.Errno;
import org.jrunc.sys.MountFlags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * The mounts a container without any mount namespace in linux.namespaces makes: it inherits the runtime's (the
 * runtime-spec's rule for an absent namespace), so config.json's mounts, /dev and the masks land on its rootfs there
 * and outlive it. runc and crun leave them behind; jrunc notes which mounts were at or below the rootfs before create
 * and unmounts every other one at delete, and when create fails.
 */
public final class SharedNamespaceMounts {
    private SharedNamespaceMounts() {}

    /** The ids of the mounts at or below {@code rootfs}, as strings (for the state file). */
    public static List<String> idsAtOrBelow(MountTable table, String rootfs) {
        List<String> ids = new ArrayList<>();
        for (MountTable.Entry e : table.entries()) {
            if (isAtOrBelow(e.mountPoint(), rootfs)) {
                ids.add(Integer.toString(e.id()));
            }
        }
        return ids;
    }

    /**
     * The mount points at or below {@code rootfs} of the mounts not in {@code before}, last mounted first: a mount
     * comes after the one it sits on in mountinfo, so this order unmounts submounts and stacked mounts first.
     */
    static List<String> added(MountTable table, String rootfs, Collection<String> before) {
        List<String> out = new ArrayList<>();
        List<MountTable.Entry> entries = table.entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            MountTable.Entry e = entries.get(i);
            if (isAtOrBelow(e.mountPoint(), rootfs) && !before.contains(Integer.toString(e.id()))) {
                out.add(e.mountPoint());
            }
        }
        return out;
    }

    /** Unmounts what {@link #added} names, in that order; one already gone with its parent is skipped. */
    public static void unmountAdded(Syscalls sys, String rootfs, Collection<String> before) {
        for (String mountPoint : added(MountTable.current(), rootfs, before)) {
            try {
                sys.umount2(mountPoint, MountFlags.MNT_DETACH);
            } catch (SyscallException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOENT) {
                    throw e;
                }
            }
        }
    }

    private static boolean isAtOrBelow(String mountPoint, String rootfs) {
        return mountPoint.equals(rootfs) || mountPoint.startsWith(rootfs.endsWith("/") ? rootfs : rootfs + "/");
    }
}
