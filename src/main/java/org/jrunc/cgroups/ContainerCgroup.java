package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.Pause;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Resources;

/**
 * A container's cgroup: one directory per hierarchy, created on create and removed on delete (through
 * {@link CgroupManager}, whose implementation calls {@link #create} and {@link #remove}). Under cgroupfs the process
 * is placed through cgroup.procs descriptors the init writes to itself when it reports ready, so the init JVM's
 * start-up is never charged to the container's limits; under the systemd driver systemd puts the init into the scope
 * it starts after HELLO, as runc's init is placed (README, "The systemd cgroup driver").
 */
public final class ContainerCgroup {
    /** Where root's containers with a relative (or no) linux.cgroupsPath go. */
    public static final String DEFAULT_PARENT = "/jrunc";

    private final CgroupLayout layout;
    private final boolean rootless;
    /** The container's cgroup within each hierarchy it uses, by hierarchy key. */
    private final Map<String, String> paths = new LinkedHashMap<>();

    private final Map<String, String> dirs = new LinkedHashMap<>();
    /** The hierarchies a rootless caller cannot use, by key: why not. */
    private final Map<String, String> unwritable = new LinkedHashMap<>();

    private final List<String> created = new ArrayList<>();

    /** Root's container cgroup: one directory in every hierarchy. */
    public ContainerCgroup(CgroupLayout layout, String cgroupsPath, String containerId) {
        this(layout, CgroupCaller.ROOT, null, cgroupsPath, containerId);
    }

    /**
     * The cgroup {@code caller} makes for a container. A rootless caller gets a directory only in the hierarchies it
     * can write ({@link RootlessCgroups}); the others are left out, so a container without limits there runs without
     * them (runc's rootless cgroup managers ignore their permission errors the same way), and {@link #validate}
     * refuses limits that need them.
     *
     * @param files where a rootless caller's access is checked (unused for root)
     * @throws ConfigException for a malformed cgroupsPath, or a rootless caller's cgroupsPath it can use in no
     *     hierarchy: as in runc, only a container without linux.cgroupsPath may run without a cgroup
     */
    public ContainerCgroup(
            CgroupLayout layout, CgroupCaller caller, CgroupFiles files, String cgroupsPath, String containerId) {
        this.layout = layout;
        this.rootless = caller.rootless();
        String requested = requestedPath(cgroupsPath, containerId);
        for (Hierarchy h : layout.hierarchies()) {
            if (!rootless) {
                use(h, requested.startsWith("/") ? requested : DEFAULT_PARENT + "/" + requested);
                continue;
            }
            String own = caller.ownPaths().get(h.key());
            String path = RootlessCgroups.path(h, own, requested);
            String why = path == null
                    ? h.mountPoint() + " holds no cgroup of this process"
                    : RootlessCgroups.whyUnusable(
                            files, h, h.dirOf(path), own == null ? null : h.dirOf(own), caller.uid());
            if (why == null) {
                use(h, path);
            } else {
                unwritable.put(h.key(), why);
            }
        }
        if (dirs.isEmpty() && cgroupsPath != null && !cgroupsPath.isEmpty() && !unwritable.isEmpty()) {
            throw new ConfigException("config.json: field linux.cgroupsPath: \"" + cgroupsPath
                    + "\" needs a writable cgroup: "
                    + unwritable.values().iterator().next()
                    + noDelegationHint());
        }
    }

    private void use(Hierarchy h, String path) {
        paths.put(h.key(), path);
        dirs.put(h.key(), h.dirOf(path));
    }

    /** What to add to a message about an unwritable cgroup when the caller has no usable cgroup v2 directory. */
    String noDelegationHint() {
        return dirs.containsKey("unified") ? "" : " (no delegated cgroup v2 subtree)";
    }

    /**
     * linux.cgroupsPath, or the container ID when it has none, checked for what cgroupfs cannot take. A path in
     * systemd's "slice:prefix:name" form is a plain relative path here, colons and all, as runc's cgroupfs driver
     * takes it: containerd's CRI writes that form for a pod whose cgroup parent ends in ".slice" whichever driver
     * the runtime uses.
     */
    private static String requestedPath(String cgroupsPath, String id) {
        String p = cgroupsPath == null || cgroupsPath.isEmpty() ? id : cgroupsPath;
        for (String part : p.split("/")) {
            if (part.equals("..")) {
                throw new ConfigException(
                        "config.json: field linux.cgroupsPath: \"" + p + "\" must not contain \"..\"");
            }
        }
        return p;
    }

    /** Directories by hierarchy key, as recorded in state.json: only those the container uses. */
    public Map<String, String> dirs() {
        return dirs;
    }

    /** The hierarchies a rootless caller cannot write, by key, with the reason; empty for root. */
    public Map<String, String> unwritable() {
        return unwritable;
    }

    /**
     * The directories delete takes care of: those this create made, and the parents below {@link #DEFAULT_PARENT} that
     * existed already. jrunc owns that subtree, so its parents go with the last container below them, whichever
     * container made them. The default parent itself stays, as runc's parents do: it is where an administrator puts
     * what all containers share (a realtime budget, say).
     */
    public List<String> createdDirs() {
        return created;
    }

    public CgroupLayout layout() {
        return layout;
    }

    /**
     * What of linux.resources this caller's cgroup takes: all of it for root. A rootless caller's device rules are
     * left out, as runc's rootless cgroup managers leave them: the eBPF device program (v2) and devices.deny (v1) need
     * privileges it lacks, and in its user namespace the container can make no device node anyway, so the nodes it has
     * are bind mounts whose file modes decide access.
     */
    public Resources applicable(Resources r) {
        if (!rootless || r == null || r.devices() == null) {
            return r;
        }
        return r.withDevices(null);
    }

    /**
     * Checks linux.resources against the spec and this host's hierarchies without writing anything (the directories
     * need not exist yet): create's planning, before it claims the ID. Errors only matter here; the writes repeat the
     * warnings.
     *
     * @throws ConfigException naming the first field that cannot be applied, or that needs a hierarchy a rootless
     *     caller cannot write
     */
    public List<String> validate(Resources r) {
        return validate(r, KernelCgroupFiles.checked(), HugePageSizes.ofHost());
    }

    /** {@link #validate(Resources)} with these cgroup files and huge page sizes. */
    public List<String> validate(Resources r, CgroupFiles files, List<String> hugePageSizes) {
        ControllerPlacement placement =
                ControllerPlacement.forApply(layout, dirs, files).withUnwritable(unwritable, noDelegationHint());
        return new ResourceValidator("config.json", placement, hugePageSizes, false).validate(applicable(r));
    }

    /** mkdir -p in every hierarchy the container uses, remembering what was new (deepest last) so a failed create can undo exactly that. */
    public void create(CgroupFiles files) {
        for (Hierarchy h : layout.hierarchies()) {
            String path = paths.get(h.key());
            if (path == null) {
                continue;
            }
            createIn(files, h, Path.of(h.dirOf(path)));
            for (String p = parentOf(path); p.startsWith(DEFAULT_PARENT + "/"); p = parentOf(p)) {
                if (!created.contains(h.dirOf(p))) {
                    created.add(h.dirOf(p));
                }
            }
        }
    }

    private static String parentOf(String cgroupPath) {
        return cgroupPath.substring(0, Math.max(cgroupPath.lastIndexOf('/'), 0));
    }

    /**
     * The directories above the container's are shared with other containers, whose create and delete run
     * concurrently: a parent seen here may be removed by the delete of the last container below it before the mkdir
     * under it, or made by another create just before ours. Either way the walk starts over.
     */
    private void createIn(CgroupFiles files, Hierarchy h, Path dir) {
        for (int attempt = 0; ; attempt++) {
            Path current = null;
            try {
                for (Path p : missing(files, h, dir)) {
                    current = p;
                    files.makeDir(p);
                    if (!p.toString().equals(h.dirOf(DEFAULT_PARENT))) {
                        created.add(p.toString());
                    }
                    if (h.controllers().contains("cpuset")) {
                        inheritCpuset(files, p);
                    }
                }
                return;
            } catch (NoSuchFileException | FileAlreadyExistsException e) {
                if (attempt >= 10) {
                    throw new JruncException("cannot create cgroup " + current + ": its parent keeps changing");
                }
            } catch (IOException e) {
                throw new JruncException("cannot create cgroup " + current + ": " + e.getMessage());
            }
        }
    }

    private static List<Path> missing(CgroupFiles files, Hierarchy h, Path dir) {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir;
                p != null && !p.toString().equals(h.mountPoint()) && !files.isDirectory(p);
                p = p.getParent()) {
            missing.add(0, p);
        }
        return missing;
    }

    /** A v1 cpuset cgroup accepts no task until cpus and mems are set; copy them from the parent like the kernel's clone_children. */
    private static void inheritCpuset(CgroupFiles files, Path dir) {
        for (String f : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            try {
                String own = files.read(dir.resolve(f)).trim();
                if (own.isEmpty()) {
                    files.write(
                            dir.resolve(f),
                            files.read(dir.getParent().resolve(f)).trim());
                }
            } catch (IOException e) {
                throw new JruncException("cannot initialise " + dir.resolve(f) + ": " + e.getMessage());
            }
        }
    }

    /** Longer paths first. A named class, as are the loops below: lambdas on delete's path cost class spinning. */
    private static final Comparator<String> DEEPEST_FIRST = new Comparator<>() {
        @Override
        public int compare(String a, String b) {
            return Integer.compare(b.length(), a.length());
        }
    };

    /**
     * Removes the directories of {@link #createdDirs}, deepest first. The container's own ({@code own}) goes with any
     * cgroups the container made below it, and a process still leaving it is waited for; failing that is an error. A
     * parent goes only when no other container's cgroup is left in it.
     */
    public static void remove(CgroupFiles files, List<String> createdDirs, Collection<String> own) {
        List<String> order = new ArrayList<>(createdDirs);
        order.sort(DEEPEST_FIRST);
        List<String> failures = new ArrayList<>();
        for (String d : order) {
            if (!own.contains(d)) {
                removeIfUnused(files, Path.of(d));
                continue;
            }
            String failure = removeTree(files, Path.of(d));
            if (failure != null) {
                failures.add(d + ": " + failure);
            }
        }
        if (!failures.isEmpty()) {
            throw new JruncException("cannot remove cgroup " + String.join(", ", failures));
        }
    }

    /** rmdir of a cgroup and the cgroups below it; null when done, else why not. */
    private static String removeTree(CgroupFiles files, Path dir) {
        try {
            for (Path child : files.list(dir)) {
                String failure = files.isDirectory(child) ? removeTree(files, child) : null;
                if (failure != null) {
                    return failure;
                }
            }
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return e.getMessage();
        }
        for (int attempt = 0; ; attempt++) {
            try {
                files.removeDir(dir);
                return null;
            } catch (IOException e) {
                // EBUSY: a process has not finished leaving yet
                if (attempt >= 50) {
                    return CgroupErrno.reason(e);
                }
                Pause.millis(10);
            }
        }
    }

    /** A shared parent: left alone while another container's cgroup is in it, or when it is in use otherwise. */
    private static void removeIfUnused(CgroupFiles files, Path dir) {
        try {
            for (Path child : files.list(dir)) {
                if (files.isDirectory(child)) {
                    return;
                }
            }
            files.removeDir(dir);
        } catch (IOException e) {
            // a create made a cgroup in it meanwhile, or it is gone already
        }
    }
}
