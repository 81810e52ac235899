package org.jrunc.cgroups.manager;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.OomCounter;
import org.jrunc.config.Resources;

/**
 * The cgroup managers of a rootless caller (--rootless, or detected): the container's cgroup where this caller may
 * make it in every hierarchy, else none at all, as runc's rootless mode: a container without limits runs in the
 * caller's own cgroup, and limits without a cgroup to hold them are refused in runc's words, naming the field.
 * Recorded containers need nothing of this: a container created without a cgroup records no paths.
 */
public final class RootlessCgroupManagers implements CgroupManager.Factory {
    private final CgroupManager.Factory delegate;

    public RootlessCgroupManagers(CgroupManager.Factory delegate) {
        this.delegate = delegate;
    }

    @Override
    public CgroupManager forCreate(ContainerCgroup cgroup) {
        for (String dir : cgroup.dirs().values()) {
            if (!canMake(Path.of(dir))) {
                return new NoCgroup(delegate.forRecorded(Map.of(), List.of()));
            }
        }
        return delegate.forCreate(cgroup);
    }

    @Override
    public CgroupManager forRecorded(Map<String, String> paths, List<String> createdDirs) {
        return delegate.forRecorded(paths, createdDirs);
    }

    /** The directory exists and is writable, or its nearest existing ancestor is (mkdir -p would work). */
    private static boolean canMake(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isDirectory(p)) {
                return Files.isWritable(p);
            }
        }
        return false;
    }

    /**
     * No cgroup: nothing to create or remove, no processes but the init to signal, and limits refused. The rest
     * (stats, the freezer, OOM counts) is a manager over no directories.
     */
    static final class NoCgroup implements CgroupManager {
        private final CgroupManager none;

        NoCgroup(CgroupManager none) {
            this.none = none;
        }

        @Override
        public Map<String, String> paths() {
            return Map.of();
        }

        @Override
        public List<String> createdDirs() {
            return List.of();
        }

        @Override
        public void create() {
            // nothing this caller may make
        }

        @Override
        public List<String> apply(Resources r) {
            refuseLimits(r, "linux.resources.");
            return List.of();
        }

        @Override
        public List<String> update(Resources r) {
            refuseLimits(r, "update: ");
            return List.of();
        }

        /** Device rules are the default and need no cgroup in a user namespace (mknod is not possible there). */
        private static void refuseLimits(Resources r, String where) {
            if (r == null) {
                return;
            }
            String field = r.memory() != null
                    ? "memory"
                    : r.cpu() != null
                            ? "cpu"
                            : r.pids() != null
                                    ? "pids"
                                    : r.blockIO() != null
                                            ? "blockIO"
                                            : r.hugepageLimits() != null
                                                            && !r.hugepageLimits()
                                                                    .isEmpty()
                                                    ? "hugepageLimits"
                                                    : r.network() != null
                                                            ? "network"
                                                            : r.rdma() != null
                                                                            && !r.rdma()
                                                                                    .isEmpty()
                                                                    ? "rdma"
                                                                    : r.unified() != null
                                                                                    && !r.unified()
                                                                                            .isEmpty()
                                                                            ? "unified"
                                                                            : null;
            if (field != null) {
                // runc's words
                throw new JruncException("rootless needs no limits + no cgrouppath when no permission is granted for "
                        + "cgroups: " + where + field);
            }
        }

        @Override
        public List<Integer> pids() {
            return List.of();
        }

        @Override
        public boolean isFrozen() {
            return false;
        }

        @Override
        public void freeze() {
            throw new JruncException("cannot pause a container without a cgroup (rootless, no writable cgroup)");
        }

        @Override
        public void thaw() {
            // nothing was frozen
        }

        @Override
        public void killAll(int signal, Signaller signaller) {
            // no cgroup to find processes in: the callers signal the init, whose pid namespace ends with it
        }

        @Override
        public Map<String, Object> stats() {
            return none.stats();
        }

        @Override
        public OomCounter watchOom() {
            return none.watchOom();
        }

        @Override
        public void destroy() {
            // nothing was made
        }
    }
}
