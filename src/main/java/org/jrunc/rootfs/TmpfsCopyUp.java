package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.*;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * The {@code tmpcopyup} mount option (runc's and crun's extension; the runtime-spec does not name it): a tmpfs mounted
 * over a directory of the image starts with a copy of what that directory held, so that podman's `--read-only` and
 * `--tmpfs` keep the image's files there. As crun does it: the covered directory is opened before the mount, and read
 * through that descriptor into the new tmpfs afterwards; regular files, directories, symlinks (copied as links, their
 * targets untouched), device nodes, fifos and sockets, with their owners, modes and extended attributes. As in crun and
 * runc, times are not kept, hard links become separate copies, the tmpfs's root takes the covered directory's mode
 * (RootfsSetup's mode= option) but not its owner, and an owner the container's user namespace does not map fails the
 * copy (chown refuses the overflow id).
 *
 * <p>Every entry is opened by name beneath its parent's descriptor without following a symlink
 * (O_NOFOLLOW, RESOLVE_BENEATH), so nothing in the image can lead the copy out of the directory it copies, on either
 * side. A regular file is opened for reading only after its O_PATH descriptor showed it is one, by reopening that
 * descriptor, so a device node in the image is never opened.
 */
final class TmpfsCopyUp {
    private static final long BENEATH = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
    /** sendfile moves at most about 2 GiB per call; the loop asks again until the end of the file. */
    private static final long CHUNK = 1L << 30;

    private final Syscalls sys;

    TmpfsCopyUp(Syscalls sys) {
        this.sys = sys;
    }

    /**
     * Copies the content of {@code covered} (the directory under the tmpfs, open for reading) into {@code mounted}
     * (the tmpfs's root, an O_PATH descriptor); closes neither. {@code destination} names the mount point in messages.
     */
    void copy(int covered, int mounted, String destination) {
        int into = sys.openat(mounted, ".", O_RDONLY | O_DIRECTORY, 0);
        try {
            copyDirectory(covered, into, destination.endsWith("/") ? destination : destination + "/");
        } finally {
            sys.close(into);
        }
    }

    private void copyDirectory(int from, int to, String path) {
        List<String> names = sys.readDirectory(from);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            try {
                copyEntry(from, to, name, path + name);
            } catch (SyscallException e) {
                throw new JruncException("tmpcopyup " + path + name + ": " + e.getMessage());
            }
        }
    }

    private void copyEntry(int from, int to, String name, String path) {
        int source = sys.openat2(from, name, O_PATH | O_NOFOLLOW, 0, BENEATH);
        try {
            FileStat st = sys.fstat(source);
            switch (st.type()) {
                case FileStat.S_IFDIR:
                    copySubdirectory(source, to, name, path, st);
                    return;
                case FileStat.S_IFREG:
                    copyFile(source, to, name, st);
                    return;
                case FileStat.S_IFLNK:
                    sys.symlinkat(sys.readlinkat(source, ""), to, name);
                    finishNode(to, name, st);
                    return;
                default:
                    // character and block devices, fifos, sockets: mknod makes each of them
                    sys.mknodat(to, name, st.type() | 0600, DevicePlan.makedev(st.rdevMajor(), st.rdevMinor()));
                    finishNode(to, name, st);
            }
        } finally {
            sys.close(source);
        }
    }

    private void copySubdirectory(int source, int to, String name, String path, FileStat st) {
        sys.mkdirat(to, name, 0700);
        int from = sys.openat(source, ".", O_RDONLY | O_DIRECTORY, 0);
        try {
            int into = sys.openat2(to, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW, 0, BENEATH);
            try {
                copyDirectory(from, into, path + "/");
                // owner and mode after the content: a directory without write permission is still filled
                finish(into, st, from);
            } finally {
                sys.close(into);
            }
        } finally {
            sys.close(from);
        }
    }

    private void copyFile(int source, int to, String name, FileStat st) {
        int from = sys.open(RootPaths.procFd(source), O_RDONLY, 0);
        try {
            int into = sys.openat2(to, name, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0600, BENEATH);
            try {
                while (sys.sendfile(into, from, CHUNK) > 0) {
                    // until the end of the file
                }
                finish(into, st, from);
            } finally {
                sys.close(into);
            }
        } finally {
            sys.close(from);
        }
    }

    /** Owner and mode of a symlink, device node, fifo or socket just made as {@code name} in {@code dir}. */
    private void finishNode(int dir, String name, FileStat st) {
        int fd = sys.openat2(dir, name, O_PATH | O_NOFOLLOW, 0, BENEATH);
        try {
            finish(fd, st, -1);
        } finally {
            sys.close(fd);
        }
    }

    /**
     * Owner, then mode (chown clears set-user-ID and set-group-ID bits), then extended attributes of {@code xattrsFrom}
     * when it is open: chown also removes security.capability, which crun's order (attributes first) loses.
     */
    private void finish(int fd, FileStat st, int xattrsFrom) {
        sys.fchown(fd, st.uid(), st.gid());
        if (st.type() != FileStat.S_IFLNK) {
            // a symlink's own mode cannot be changed, and is always 0777
            sys.fchmod(fd, st.mode() & 07777);
        }
        if (xattrsFrom >= 0) {
            copyXattrs(xattrsFrom, fd);
        }
    }

    /**
     * As crun: a source filesystem without extended attributes has none to copy, and an attribute the tmpfs does not
     * take (EINVAL, EOPNOTSUPP: say security.selinux without SELinux) is skipped; any other failure is an error.
     */
    private void copyXattrs(int from, int to) {
        List<String> names;
        try {
            names = sys.listXattrs(from);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOTSUP) {
                return;
            }
            throw e;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            byte[] value = sys.getXattr(from, name);
            try {
                sys.setXattr(to, name, value);
            } catch (SyscallException e) {
                if (e.errno() != Errno.EINVAL && e.errno() != Errno.ENOTSUP) {
                    throw e;
                }
            }
        }
    }
}
