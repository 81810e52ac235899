package org.jrunc.rootfs;

import static org.jrunc.sys.Flags.*;
import static org.jrunc.sys.MountFlags.*;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.StatFs;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Builds the container's root filesystem inside its new mount namespace, in the order the runtime-spec and runc use:
 * cut propagation to the host, bind the rootfs onto itself, mount config.json's mounts in order, populate /dev.
 * {@link #finish} then masks and protects paths, and {@link RootJail} switches to the new root.
 */
public final class RootfsSetup {
    private static final List<String> PROC_FILES_ALLOWED = List.of(
            "/proc/cpuinfo",
            "/proc/diskstats",
            "/proc/meminfo",
            "/proc/stat",
            "/proc/swaps",
            "/proc/uptime",
            "/proc/loadavg",
            "/proc/slabinfo",
            "/proc/sys/kernel/ns_last_pid",
            "/proc/sys/crypto/fips_enabled");

    private final Syscalls sys;
    private final RootfsPlan plan;
    private final Consumer<String> warn;
    private RootPaths root;
    private MountTarget target;
    /** Destinations mounted read-write first (tmpfs, /dev) that must become read-only in finish(). */
    private final List<String> delayedReadonly = new ArrayList<>();
    /** The pid namespace a procfs mount shows when it is not this process's own; -1 for its own. */
    private int procPidNamespace = -1;
    /** Per mount, a detached tree the runtime prepared (an idmapped bind mount) or -1; empty for none. */
    private int[] mountSources = new int[0];

    public RootfsSetup(Syscalls sys, RootfsPlan plan, Consumer<String> warn) {
        this.sys = sys;
        this.plan = plan;
        this.warn = warn;
    }

    public RootPaths root() {
        return root;
    }

    /**
     * Everything up to (not including) the prestart hooks. In a mount namespace the container shares (the runtime's,
     * or one it joins) the mounts land on the rootfs as it is there, visible to the others, as the runtime-spec's
     * "inherit" means; the namespace's own propagation is left alone.
     */
    public void prepare() {
        if (plan.ownMountNamespace()) {
            sys.mount("", "/", "", hostSide(plan.propagation()), "");
            makeParentMountPrivate(plan.rootfs(), (plan.propagation() & MS_SLAVE) != 0 ? MS_SLAVE : MS_PRIVATE);
            sys.mount(plan.rootfs(), plan.rootfs(), "bind", MS_BIND | MS_REC, "");
        }
        int rootFd = sys.open(plan.rootfs(), O_PATH | O_DIRECTORY, 0);
        root = new RootPaths(sys, rootFd, plan.rootfs());
        target = new MountTarget(sys, root);
        List<MountPlan> mounts = plan.mounts();
        for (int i = 0; i < mounts.size(); i++) {
            MountPlan m = mounts.get(i);
            try {
                mountOne(m, i < mountSources.length ? mountSources[i] : -1);
            } catch (RuntimeException e) {
                throw new JruncException("mounts[" + i + "] " + m.destination() + ": " + e.getMessage());
            }
        }
        if (plan.setupDev()) {
            new DevSetup(sys, root, plan.bindDevices(), warn).run(plan.devices());
        }
    }

    /**
     * The propagation of the namespace's copy of the host's mounts, set before anything is mounted. By default and for
     * slave, rslave: host mounts still arrive, and nothing mounted here goes back. Shared keeps the host's peer groups,
     * as runc applies rootfsPropagation itself here: a bind of a shared host directory with "rshared" (Kubernetes'
     * Bidirectional) then stays a peer of the host's, so what the container mounts in it appears on the host. Nothing
     * else leaks, since the rootfs's own mount point is made private below before anything is mounted in it.
     */
    private static long hostSide(long propagation) {
        if ((propagation & MS_SHARED) != 0) {
            return propagation;
        }
        return (propagation & MS_PRIVATE) != 0 ? MS_PRIVATE | MS_REC : MS_SLAVE | MS_REC;
    }

    /**
     * pivot_root fails when the new root's parent mount is shared, and a bind of the rootfs under a shared parent would
     * propagate to the host; walk up from the rootfs to its mount point and make that one private (or slave).
     */
    private void makeParentMountPrivate(String path, long flag) {
        String p = path;
        while (true) {
            try {
                sys.mount("", p, "", flag, "");
                return;
            } catch (SyscallException e) {
                if (e.errno() != Errno.EINVAL || p.equals("/")) {
                    throw e;
                }
                int slash = p.lastIndexOf('/');
                p = slash <= 0 ? "/" : p.substring(0, slash);
            }
        }
    }

    private void mountOne(MountPlan m, int preparedTree) {
        if (preparedTree >= 0) {
            mountGeneric(m, preparedTree);
            return;
        }
        switch (m.type()) {
            case "proc":
            case "sysfs":
                mountProcOrSys(m);
                return;
            case "cgroup":
                new CgroupMounts(sys, root, target, plan).mount(m, delayedReadonly);
                return;
            default:
                mountGeneric(m, -1);
        }
    }

    /**
     * The detached trees the runtime made for the idmapped bind mounts ({@link IdmappedTrees}), one per mounts[]
     * entry or -1; each is moved onto its destination instead of a bind mount of the source, and closed.
     */
    public void useMountSources(int[] fds) {
        mountSources = fds == null ? new int[0] : fds;
    }

    /**
     * Mounts procfs for the pid namespace open as {@code fd} (procfs's pidns option, Linux 6.15) rather than for this
     * process's: the init of a container that joins a pod's pid namespace stays out of it, so that nothing there sees
     * a process with the host's view, and only the container's process is cloned into it.
     */
    public void showProcOf(int pidNamespaceFd) {
        procPidNamespace = pidNamespaceFd;
    }

    /** proc and sysfs must land on a real directory, never through a symlink (CVE-2019-16884, CVE-2019-19921). */
    private void mountProcOrSys(MountPlan m) {
        int existing = root.openNoFollow(m.destination());
        if (existing >= 0) {
            FileStat st = sys.fstat(existing);
            sys.close(existing);
            if (!st.isDirectory()) {
                throw new JruncException("filesystem \"" + m.type() + "\" must be mounted on ordinary directory");
            }
        }
        int fd = root.mkdirAll(m.destination(), 0755);
        try {
            root.requireInside(fd, "mount destination " + m.destination());
            checkProcMount(sys.fdPath(fd), m);
            try {
                sys.mount(
                        m.source().isEmpty() ? m.type() : m.source(),
                        RootPaths.procFd(fd),
                        m.type(),
                        m.flags() & ~(MS_REC | MS_BIND),
                        mountData(m));
            } catch (SyscallException e) {
                if (!m.type().equals("sysfs") || e.errno() != Errno.EPERM) {
                    throw e;
                }
                bindHostSysfs(fd, m, e);
                return;
            }
            afterMount(fd, m);
        } finally {
            sys.close(fd);
        }
    }

    /**
     * The kernel lets only a user namespace that owns the network namespace mount a new sysfs (which shows that
     * namespace's devices): a container in a user namespace without a network namespace of its own (runc's `spec
     * --rootless`), or one whose runtime runs in a user namespace someone else made and joins a network namespace it
     * does not own, gets EPERM. Then, as crun does, the runtime's /sys is bind-mounted recursively and read-only
     * throughout (runc's rootless spec asks for that rbind itself); a read-write /sys is refused, since it would make
     * the host's sysfs writable.
     */
    private void bindHostSysfs(int fd, MountPlan m, SyscallException refused) {
        if ((m.flags() & MS_RDONLY) == 0) {
            throw new JruncException("a new sysfs cannot be mounted (" + refused.getMessage()
                    + "): the container's user namespace does not own its network namespace; a read-only /sys "
                    + "(option \"ro\") would be bind-mounted from the host instead");
        }
        sys.mount("/sys", RootPaths.procFd(fd), "bind", MS_BIND | MS_REC, "");
        int mounted = target.reopen(fd, m.destination());
        try {
            long attrs = MOUNT_ATTR_RDONLY;
            attrs |= (m.flags() & MS_NOSUID) != 0 ? MOUNT_ATTR_NOSUID : 0;
            attrs |= (m.flags() & MS_NODEV) != 0 ? MOUNT_ATTR_NODEV : 0;
            attrs |= (m.flags() & MS_NOEXEC) != 0 ? MOUNT_ATTR_NOEXEC : 0;
            target.applyRecursiveAttrs(mounted, attrs | m.recAttrSet(), m.recAttrClr() & ~attrs);
            target.applyPropagation(mounted, m.propagation());
        } finally {
            sys.close(mounted);
        }
    }

    private String mountData(MountPlan m) {
        if (!m.type().equals("proc") || procPidNamespace < 0) {
            return m.data();
        }
        // resolved by the kernel through this process's /proc, still the host's here
        String pidns = "pidns=/proc/self/fd/" + procPidNamespace;
        return m.data() == null || m.data().isEmpty() ? pidns : m.data() + "," + pidns;
    }

    private void mountGeneric(MountPlan m, int preparedTree) {
        try {
            mountGenericOn(m, preparedTree);
        } finally {
            if (preparedTree >= 0) {
                sys.close(preparedTree);
            }
        }
    }

    private void mountGenericOn(MountPlan m, int preparedTree) {
        boolean bind = m.isBind();
        int probe = root.openIfExists(m.destination(), 0);
        boolean existed = probe >= 0;
        if (existed) {
            sys.close(probe);
        }
        boolean sourceIsFile =
                preparedTree >= 0 ? !sys.fstat(preparedTree).isDirectory() : bind && !sourceIsDirectory(m.source());
        int fd = root.openOrCreate(m.destination(), sourceIsFile);
        // tmpcopyup: the directory the tmpfs covers, open for reading, copied into the tmpfs once it is mounted
        int covered = -1;
        try {
            root.requireInside(fd, "mount destination " + m.destination());
            checkProcMount(sys.fdPath(fd), m);
            String data = m.data();
            if (m.type().equals("tmpfs") && existed) {
                // keep the mode of the directory the tmpfs covers (e.g. 1777 for /tmp); later options win
                FileStat st = sys.fstat(fd);
                data = "mode=" + octal4(st.mode() & 07777) + (data.isEmpty() ? "" : "," + data);
                if (m.tmpcopyup() && st.isDirectory()) {
                    // through fd, which keeps naming the covered directory after the mount
                    covered = sys.openat(fd, ".", O_RDONLY | O_DIRECTORY, 0);
                }
            }
            long flags = m.flags();
            if (!bind) {
                flags &= ~MS_REC;
            }
            if (m.type().equals("tmpfs") || isDev(m.destination())) {
                // /dev and tmpfs get populated (device nodes, nested mount points) first; finish() makes them ro
                if ((flags & MS_RDONLY) != 0) {
                    delayedReadonly.add(m.destination());
                }
                flags &= ~MS_RDONLY;
            }
            if (preparedTree >= 0) {
                sys.moveMount(preparedTree, "", fd, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
            } else if (bind) {
                sys.mount(m.source(), RootPaths.procFd(fd), "bind", MS_BIND | (flags & MS_REC), "");
            } else {
                sys.mount(m.source().isEmpty() ? m.type() : m.source(), RootPaths.procFd(fd), m.type(), flags, data);
            }
            int mounted = target.reopen(fd, m.destination());
            try {
                if (covered >= 0) {
                    // before the propagation and attributes below: rro would make the tmpfs read-only
                    new TmpfsCopyUp(sys).copy(covered, mounted, m.destination());
                }
                if (bind && ((flags & ~(MS_BIND | MS_REC | MS_REMOUNT)) != 0 || m.clearedFlags() != 0)) {
                    target.remountBind(mounted, flags, m.clearedFlags(), m.destination());
                }
                target.applyPropagation(mounted, m.propagation());
                target.applyRecursiveAttrs(mounted, m.recAttrSet(), m.recAttrClr());
            } finally {
                sys.close(mounted);
            }
        } finally {
            if (covered >= 0) {
                sys.close(covered);
            }
            sys.close(fd);
        }
    }

    private void afterMount(int fd, MountPlan m) {
        if (m.propagation() != 0 || m.recAttrSet() != 0 || m.recAttrClr() != 0) {
            int mounted = target.reopen(fd, m.destination());
            try {
                target.applyPropagation(mounted, m.propagation());
                target.applyRecursiveAttrs(mounted, m.recAttrSet(), m.recAttrClr());
            } finally {
                sys.close(mounted);
            }
        }
    }

    private boolean sourceIsDirectory(String source) {
        int fd;
        try {
            fd = sys.open(source, O_PATH, 0);
        } catch (SyscallException e) {
            throw new JruncException(
                    "bind mount source " + source + ": " + e.getMessage().replaceFirst("^open \\S+: ", ""));
        }
        try {
            return sys.fstat(fd).isDirectory();
        } finally {
            sys.close(fd);
        }
    }

    /** "%04o" without java.util.Formatter, which the init would load for this alone. */
    static String octal4(int mode) {
        String digits = Integer.toOctalString(mode & 07777);
        return "0000".substring(digits.length()) + digits;
    }

    static boolean isDev(String destination) {
        return RootPaths.components(destination).equals(List.of("dev"));
    }

    /**
     * Nothing may be mounted over /proc itself except a procfs, and nothing inside /proc except the files lxcfs
     * emulates: a bind over /proc/self/... or /proc/sys would defeat the masks.
     */
    void checkProcMount(String realDest, MountPlan m) {
        String proc = plan.rootfs() + "/proc";
        if (!(realDest.equals(proc) || realDest.startsWith(proc + "/"))) {
            return;
        }
        if (realDest.equals(proc)) {
            if (m.type().equals("proc") || (m.isBind() && isProcfs(m.source()))) {
                return;
            }
            throw new JruncException("\"" + realDest + "\" cannot be mounted because it is not of type proc");
        }
        String inside = realDest.substring(plan.rootfs().length());
        if (!PROC_FILES_ALLOWED.contains(inside)) {
            throw new JruncException("\"" + realDest + "\" cannot be mounted because it is inside /proc");
        }
    }

    private boolean isProcfs(String source) {
        int fd = sys.open(source, O_PATH, 0);
        try {
            return sys.fstatfs(fd).type() == StatFs.PROC_SUPER_MAGIC;
        } finally {
            sys.close(fd);
        }
    }

    /** After the createContainer hooks: read-only paths, masked paths, and the delayed read-only remounts. */
    public void finish(List<String> extraReadonly) {
        PathProtection protect = new PathProtection(sys, root, target);
        for (String p : plan.readonlyPaths()) {
            protect.makeReadonly(p);
        }
        protect.mask(plan.maskedPaths());
        List<String> ro = new ArrayList<>(delayedReadonly);
        ro.addAll(extraReadonly);
        for (String dest : ro) {
            int fd = root.openIfExists(dest, 0);
            if (fd >= 0) {
                try {
                    target.remountReadonly(fd);
                } finally {
                    sys.close(fd);
                }
            }
        }
    }
}
