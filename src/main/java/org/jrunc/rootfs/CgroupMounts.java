package org.jrunc.rootfs;

import static org.jrunc.sys.MountFlags.*;

import java.util.List;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * A "cgroup" mount. On a pure cgroup v2 host it is a cgroup2 mount (with a cgroup namespace it shows the container's
 * own cgroup as its root). On a v1 or hybrid host it is a tmpfs with one entry per hierarchy, each either a fresh
 * cgroup mount (with a cgroup namespace) or a bind of the container's directory in that hierarchy (without one), so
 * the container never sees its siblings. A hierarchy the container has no directory in (rootless, where the caller
 * could not write it) stays an empty directory there, as runc masks /sys/fs/cgroup in that case.
 */
final class CgroupMounts {
    private final Syscalls sys;
    private final RootPaths root;
    private final MountTarget target;
    private final RootfsPlan plan;

    CgroupMounts(Syscalls sys, RootPaths root, MountTarget target, RootfsPlan plan) {
        this.sys = sys;
        this.root = root;
        this.target = target;
        this.plan = plan;
    }

    void mount(MountPlan m, List<String> delayedReadonly) {
        long flags = m.flags() & ~(MS_REC | MS_BIND);
        int fd = root.mkdirAll(m.destination(), 0755);
        try {
            root.requireInside(fd, "mount destination " + m.destination());
            if (plan.cgroupV2Only()) {
                mountUnified(fd, m, flags);
                return;
            }
            sys.mount("tmpfs", RootPaths.procFd(fd), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC, "mode=755");
            if ((flags & MS_RDONLY) != 0) {
                delayedReadonly.add(m.destination());
            }
            for (CgroupMountSource s : plan.cgroupSources()) {
                mountHierarchy(m.destination() + "/" + s.name(), s, flags);
            }
            int tmpfs = root.openIfExists(m.destination(), 0);
            try {
                for (CgroupMountSource s : plan.cgroupSources()) {
                    if (s.name().contains(",")) {
                        for (String part : s.name().split(",")) {
                            root.symlinkIfAbsent(tmpfs, part, s.name());
                        }
                    }
                }
            } finally {
                sys.close(tmpfs);
            }
        } finally {
            sys.close(fd);
        }
    }

    private void mountUnified(int fd, MountPlan m, long flags) {
        try {
            sys.mount("cgroup2", RootPaths.procFd(fd), "cgroup2", flags, m.data());
        } catch (SyscallException e) {
            if (e.errno() != Errno.EPERM && e.errno() != Errno.EBUSY) {
                throw e;
            }
            // in a user namespace without a cgroup namespace a fresh cgroup2 mount is refused: bind instead
            String source = plan.cgroupSources().isEmpty()
                    ? "/sys/fs/cgroup"
                    : plan.cgroupSources().get(0).hostPath();
            if (source == null) {
                sys.mount("tmpfs", RootPaths.procFd(fd), "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY, "");
                return;
            }
            bind(fd, source, flags, m.destination());
        }
    }

    private void mountHierarchy(String dest, CgroupMountSource s, long flags) {
        int fd = root.mkdirAll(dest, 0755);
        try {
            if (s.hostPath() == null) {
                return;
            }
            if (plan.cgroupNamespace()) {
                try {
                    sys.mount(s.fsType(), RootPaths.procFd(fd), s.fsType(), flags, s.options());
                    return;
                } catch (SyscallException e) {
                    // a user namespace may not mount a cgroup namespace owned by the host's: bind instead
                    if (e.errno() != Errno.EPERM) {
                        throw e;
                    }
                }
            }
            bind(fd, s.hostPath(), flags, dest);
        } finally {
            sys.close(fd);
        }
    }

    private void bind(int fd, String source, long flags, String dest) {
        sys.mount(source, RootPaths.procFd(fd), "bind", MS_BIND | MS_REC, "");
        int mounted = target.reopen(fd, dest);
        try {
            target.remountBind(mounted, flags, 0, dest);
        } finally {
            sys.close(mounted);
        }
    }
}
