package org.jrunc.cgroups;

import java.nio.file.Path;

/**
 * Where a rootless caller's container cgroup goes, and whether the caller can use it: runc's "rootless cgroups". An
 * unprivileged user (or root in someone else's user namespace, as under rootless podman) may use only cgroups that
 * were delegated to it: by systemd (user@UID.service has Delegate=yes, so the user owns its subtree) or by an
 * administrator who chowned a cgroup directory and its cgroup.procs, cgroup.subtree_control and cgroup.threads. A
 * cgroup the user makes there is its own, files and all. {@link ContainerCgroup} leaves out the hierarchies that fail
 * these checks, and refuses limits that would need them.
 */
final class RootlessCgroups {
    private RootlessCgroups() {}

    /**
     * The container's cgroup in hierarchy {@code h}, runc's cgroupfs rule for a rootless caller: an absolute
     * cgroupsPath is used as is; a relative one, or the container ID when there is none, goes below the caller's own
     * cgroup. On cgroup v2 that is next to it, under its parent (runc's fs2 default path: the caller's own cgroup has
     * processes, so it could not give controllers to a child), which in a delegated subtree is the user's; on v1
     * inside it (runc's fs manager). Root's relative paths go under {@link ContainerCgroup#DEFAULT_PARENT} instead,
     * which only root may write.
     *
     * @param own the caller's cgroup in {@code h} (/proc/self/cgroup), or null when it has none there
     * @return the cgroup path within {@code h}, or null when a relative path has nothing to be relative to
     */
    static String path(Hierarchy h, String own, String requested) {
        if (requested.startsWith("/")) {
            return requested;
        }
        if (own == null) {
            return null;
        }
        String base = h.unified() ? own.substring(0, Math.max(own.lastIndexOf('/'), 0)) : own;
        return (base.endsWith("/") ? base : base + "/") + requested;
    }

    /**
     * Why the caller cannot use {@code dir} as its container's cgroup in {@code h}, or null when it can. An existing
     * cgroup needs a writable cgroup.procs (the init moves itself in); a new one needs its nearest existing ancestor
     * to be writable (mkdir). On cgroup v2 the kernel also requires write access to cgroup.procs of the closest cgroup
     * that holds both the mover's cgroup and the destination (the delegation containment rule of cgroup-v2.rst): the
     * init moves itself there from the caller's cgroup, and `exec` moves its process likewise.
     *
     * @param ownDir the caller's own cgroup directory in {@code h}, or null
     */
    static String whyUnusable(CgroupFiles files, Hierarchy h, String dir, String ownDir, long uid) {
        Path d = Path.of(dir);
        if (files.isDirectory(d)) {
            Path procs = d.resolve("cgroup.procs");
            if (!files.isWritable(procs)) {
                return notWritable(procs, uid);
            }
        } else {
            Path mount = Path.of(h.mountPoint());
            Path existing = d.getParent();
            while (existing != null && !existing.equals(mount) && !files.isDirectory(existing)) {
                existing = existing.getParent();
            }
            if (existing == null) {
                return dir + " is not below " + mount;
            }
            if (!files.isWritable(existing)) {
                return notWritable(existing, uid);
            }
        }
        if (h.unified() && ownDir != null) {
            Path common = Path.of(ownDir);
            while (!d.startsWith(common)) {
                common = common.getParent();
            }
            Path procs = common.resolve("cgroup.procs");
            if (!files.isWritable(procs)) {
                return notWritable(procs, uid) + ", which moving a process there from " + ownDir + " needs";
            }
        }
        return null;
    }

    private static String notWritable(Path path, long uid) {
        return path + " is not writable by uid " + uid;
    }
}
