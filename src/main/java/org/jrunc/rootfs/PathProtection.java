package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.*;
import static org.jrunc.sys.MountFlags.*;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.Syscalls;

/**
 * linux.maskedPaths (a verified /dev/null over files, an empty read-only tmpfs over directories) and
 * linux.readonlyPaths (a read-only bind of the path onto itself). Every path is resolved inside the rootfs first.
 */
final class PathProtection {
    private final Syscalls sys;
    private final RootPaths root;
    private final MountTarget target;

    PathProtection(Syscalls sys, RootPaths root, MountTarget target) {
        this.sys = sys;
        this.root = root;
        this.target = target;
    }

    void makeReadonly(String path) {
        int fd = root.openIfExists(path, 0);
        if (fd < 0) {
            return;
        }
        try {
            sys.mount(RootPaths.procFd(fd), RootPaths.procFd(fd), "", MS_BIND | MS_REC, "");
            int mounted = target.reopen(fd, path);
            try {
                target.remountReadonly(mounted);
            } finally {
                sys.close(mounted);
            }
        } catch (RuntimeException e) {
            throw new JruncException("readonlyPaths " + path + ": " + e.getMessage());
        } finally {
            sys.close(fd);
        }
    }

    void mask(List<String> paths) {
        if (paths.isEmpty()) {
            return;
        }
        int devNull = openVerifiedDevNull();
        Set<String> done = new HashSet<>();
        try {
            for (String path : paths) {
                int fd = root.openIfExists(path, 0);
                if (fd < 0) {
                    continue;
                }
                try {
                    if (!done.add(sys.fdPath(fd))) {
                        continue;
                    }
                    if (sys.fstat(fd).isDirectory()) {
                        sys.mount("tmpfs", RootPaths.procFd(fd), "tmpfs", MS_RDONLY, "nr_blocks=1,nr_inodes=1");
                    } else {
                        sys.mount(RootPaths.procFd(devNull), RootPaths.procFd(fd), "", MS_BIND, "");
                    }
                } catch (RuntimeException e) {
                    throw new JruncException("maskedPaths " + path + ": " + e.getMessage());
                } finally {
                    sys.close(fd);
                }
            }
        } finally {
            sys.close(devNull);
        }
    }

    /**
     * The container's /dev/null if it really is the null device, else the host's. A /dev/null that the image (or a
     * racing container process) replaced with a symlink or another file must never become a mask source
     * (CVE-2025-31133).
     */
    private int openVerifiedDevNull() {
        int fd = root.openNoFollow("/dev/null");
        if (fd >= 0) {
            if (isDevNull(sys.fstat(fd))) {
                return fd;
            }
            sys.close(fd);
        }
        fd = sys.open("/dev/null", O_PATH | O_NOFOLLOW, 0);
        if (!isDevNull(sys.fstat(fd))) {
            sys.close(fd);
            throw new JruncException("cannot mask paths: /dev/null is not the null device");
        }
        return fd;
    }

    private static boolean isDevNull(FileStat st) {
        return st.type() == FileStat.S_IFCHR && st.rdevMajor() == 1 && st.rdevMinor() == 3;
    }
}
