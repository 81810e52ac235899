package org.jrunc.cgroups.manager;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.CgroupStats;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.OomCounter;
import org.jrunc.cgroups.v2.CgroupKill;
import org.jrunc.config.Resources;

/**
 * {@link CgroupManager} on cgroupfs (no systemd), for v1, v2 and hybrid hosts alike: every operation works per
 * hierarchy key of the container's directories, choosing the v1 or the v2 interface files the way the code before this
 * class did (the v1 freezer when there is one, cgroup.kill when the unified hierarchy has it, each resource where its
 * controller is). Kill and delete construct one, so it loads nothing beyond plain file I/O until a method needs more.
 */
public final class CgroupfsManager implements CgroupManager {
    private static final int SIGKILL = 9;

    private final CgroupfsManagers env;
    /** The planned cgroup of a create; null for a recorded container. */
    private final ContainerCgroup cgroup;

    private final Map<String, String> paths;
    private final List<String> created;

    CgroupfsManager(CgroupfsManagers env, ContainerCgroup cgroup) {
        this.env = env;
        this.cgroup = cgroup;
        this.paths = cgroup.dirs();
        this.created = cgroup.createdDirs();
    }

    CgroupfsManager(CgroupfsManagers env, Map<String, String> paths, List<String> created) {
        this.env = env;
        this.cgroup = null;
        this.paths = paths;
        this.created = created;
    }

    @Override
    public Map<String, String> paths() {
        return paths;
    }

    @Override
    public List<String> createdDirs() {
        return created;
    }

    @Override
    public void create() {
        if (cgroup == null) {
            throw new IllegalStateException("the cgroup of a recorded container exists already");
        }
        cgroup.create(env.files());
    }

    /** The hierarchies: those create planned with, else this host's (read when an update needs them). */
    private CgroupLayout layout() {
        return cgroup != null ? cgroup.layout() : env.layout();
    }

    @Override
    public List<String> apply(Resources r) {
        return env.resources("config.json").apply(layout(), paths, cgroup == null ? r : cgroup.applicable(r), false);
    }

    @Override
    public List<String> update(Resources r) {
        return env.resources("update").apply(layout(), paths, r, true);
    }

    @Override
    public List<Integer> pids() {
        CgroupFiles files = env.files();
        List<Integer> pids = new ArrayList<>();
        for (String dir : paths.values()) {
            Path procs = Path.of(dir, "cgroup.procs");
            if (!files.exists(procs)) {
                continue;
            }
            try {
                for (String line : files.read(procs).split("\n")) {
                    if (!line.isBlank()) {
                        pids.add(Integer.parseInt(line.trim()));
                    }
                }
                return pids;
            } catch (IOException e) {
                // try the next hierarchy
            }
        }
        return pids;
    }

    @Override
    public boolean isFrozen() {
        return Freezer.isFrozen(env.files(), paths);
    }

    @Override
    public void freeze() {
        Freezer.set(env.files(), paths, true);
    }

    @Override
    public void thaw() {
        Freezer.set(env.files(), paths, false);
    }

    @Override
    public void killAll(int signal, Signaller signaller) {
        if (paths.isEmpty()) {
            // made rootless without a writable cgroup: the caller signals the init's process tree (ContainerKill)
            return;
        }
        String unified = paths.get("unified");
        if (signal == SIGKILL && unified != null && CgroupKill.kill(env.files(), unified)) {
            return;
        }
        boolean wasFrozen = isFrozen();
        if (!wasFrozen) {
            freeze();
        }
        try {
            Set<Integer> pids = new LinkedHashSet<>(pids());
            for (int pid : pids) {
                signaller.signal(pid, signal);
            }
        } finally {
            if (!wasFrozen || signal == SIGKILL) {
                thaw();
            }
        }
    }

    @Override
    public Map<String, Object> stats() {
        return CgroupStats.read(paths, env.controlFiles(), env.hugePageSizes());
    }

    @Override
    public OomCounter watchOom() {
        return OomCounter.watch(paths, env.controlFiles());
    }

    @Override
    public void destroy() {
        ContainerCgroup.remove(env.files(), created, paths.values());
    }
}
