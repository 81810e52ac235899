package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.*;
import static org.jrunc.sys.MountFlags.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Consumer;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Populates the container's /dev: device nodes (mknod, or bind mounts of the host's nodes where mknod is not allowed,
 * as in a user namespace), /dev/ptmx as a link to pts/ptmx, and the fd/stdin/stdout/stderr/core links.
 */
final class DevSetup {
    private final Syscalls sys;
    private final RootPaths root;
    private final boolean bindOnly;
    private final Consumer<String> warn;

    DevSetup(Syscalls sys, RootPaths root, boolean bindOnly, Consumer<String> warn) {
        this.sys = sys;
        this.root = root;
        this.bindOnly = bindOnly;
        this.warn = warn;
    }

    void run(List<DevicePlan> devices) {
        for (DevicePlan d : devices) {
            if (RootPaths.components(d.path()).equals(List.of("dev", "ptmx"))) {
                continue;
            }
            try {
                createDevice(d);
            } catch (RuntimeException e) {
                throw new JruncException("device " + d.path() + ": " + e.getMessage());
            }
        }
        int dev = root.mkdirAll("/dev", 0755);
        try {
            replaceWithLink(dev, "ptmx", "pts/ptmx");
            root.symlinkIfAbsent(dev, "fd", "/proc/self/fd");
            root.symlinkIfAbsent(dev, "stdin", "/proc/self/fd/0");
            root.symlinkIfAbsent(dev, "stdout", "/proc/self/fd/1");
            root.symlinkIfAbsent(dev, "stderr", "/proc/self/fd/2");
            if (Files.exists(Path.of("/proc/kcore"))) {
                root.symlinkIfAbsent(dev, "core", "/proc/kcore");
            }
        } finally {
            sys.close(dev);
        }
    }

    private void createDevice(DevicePlan d) {
        int dir = root.mkdirAll(RootPaths.parentOf(d.path()), 0755);
        String name = RootPaths.nameOf(d.path());
        try {
            if (bindOnly) {
                bindHostNode(dir, name, d);
                return;
            }
            try {
                sys.mknodat(dir, name, d.typeBits() | (d.fileMode() & 07777), d.dev());
            } catch (SyscallException e) {
                if (e.errno() == Errno.EEXIST) {
                    verifyAndOwn(dir, name, d);
                    return;
                }
                if (e.errno() == Errno.EPERM) {
                    bindHostNode(dir, name, d);
                    return;
                }
                throw e;
            }
            verifyAndOwn(dir, name, d);
        } finally {
            sys.close(dir);
        }
    }

    /** Checks the node really is what was asked for (not something swapped in), then sets its mode and owner. */
    private void verifyAndOwn(int dir, String name, DevicePlan d) {
        int fd = sys.openat2(dir, name, O_PATH | O_NOFOLLOW, 0, RESOLVE_IN_ROOT);
        try {
            FileStat st = sys.fstat(fd);
            if (st.type() != d.typeBits()) {
                throw new JruncException("existing file is not a " + d.type() + " device");
            }
            if (d.type() != 'p' && (st.rdevMajor() != d.major() || st.rdevMinor() != d.minor())) {
                throw new JruncException("existing device is " + st.rdevMajor() + ":" + st.rdevMinor() + ", not "
                        + d.major() + ":" + d.minor());
            }
            sys.fchmod(fd, d.fileMode() & 07777);
            sys.fchown(fd, d.uid(), d.gid());
        } finally {
            sys.close(fd);
        }
    }

    private void bindHostNode(int dir, String name, DevicePlan d) {
        int created = sys.openat2(dir, name, O_RDONLY | O_CREAT | O_NOFOLLOW, 0, RESOLVE_IN_ROOT);
        sys.close(created);
        int fd = sys.openat2(dir, name, O_PATH | O_NOFOLLOW, 0, RESOLVE_IN_ROOT);
        try {
            sys.mount(d.path(), RootPaths.procFd(fd), "bind", MS_BIND, "");
        } finally {
            sys.close(fd);
        }
    }

    private void replaceWithLink(int dir, String name, String target) {
        try {
            sys.unlinkat(dir, name, 0);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOENT) {
                warn.accept("cannot remove /dev/" + name + ": " + e.getMessage());
            }
        }
        root.symlinkIfAbsent(dir, name, target);
    }

    private static final long RESOLVE_IN_ROOT = Flags.RESOLVE_IN_ROOT;
}
