package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * Which directory each controller of a container lives in. A v1 hierarchy carrying the controller wins; otherwise the
 * unified hierarchy, if its controller list has it. That covers pure v2, legacy v1, and hybrid hosts where some
 * controllers (hugetlb on this project's machines) are bound to the unified hierarchy instead of a v1 one.
 */
public final class ControllerPlacement {
    /** A controller's directory, and whether it is driven through the v2 interface files. */
    public record Target(String dir, boolean v2) {}

    private final Map<String, String> dirs;
    private final String unifiedDir;
    private final Set<String> unifiedControllers;
    /** The controllers the unified hierarchy's root offers, whether or not the container has a directory there. */
    private final Set<String> offered;
    /** Hierarchies a rootless caller cannot write, by key: why not (see {@link ContainerCgroup#unwritable}). */
    private final Map<String, String> unwritable;

    private final String unwritableHint;

    ControllerPlacement(Map<String, String> dirs, Set<String> unifiedControllers) {
        this(dirs, unifiedControllers, Map.of(), "");
    }

    private ControllerPlacement(
            Map<String, String> dirs, Set<String> offered, Map<String, String> unwritable, String unwritableHint) {
        this.dirs = dirs;
        this.unifiedDir = dirs.get("unified");
        this.unifiedControllers = unifiedDir == null ? Set.of() : offered;
        this.offered = offered;
        this.unwritable = unwritable;
        this.unwritableHint = unwritableHint;
    }

    /**
     * The same placement, knowing which hierarchies the container has no directory in because a rootless caller
     * cannot write them, so that {@link #unwritable(Controller)} can say so.
     *
     * @param hint appended to each reason ("(no delegated cgroup v2 subtree)")
     */
    ControllerPlacement withUnwritable(Map<String, String> reasons, String hint) {
        return new ControllerPlacement(dirs, offered, reasons, hint);
    }

    /**
     * For create and update: the unified controllers are those the hierarchy's mount root offers, since the
     * container's own directory lists only what its parent has enabled so far (and may not exist yet).
     */
    public static ControllerPlacement forApply(CgroupLayout layout, Map<String, String> dirs, CgroupFiles files) {
        Hierarchy unified = layout.unified();
        Set<String> available = unified == null ? Set.of() : controllerList(files, unified.mountPoint());
        return new ControllerPlacement(dirs, available);
    }

    /** For stats and OOM counts: what the container's own unified directory has. */
    static ControllerPlacement forReading(Map<String, String> dirs, CgroupFiles files) {
        String unified = dirs.get("unified");
        return new ControllerPlacement(dirs, unified == null ? Set.of() : controllerList(files, unified));
    }

    public static Set<String> controllerList(CgroupFiles files, String dir) {
        Set<String> out = new LinkedHashSet<>();
        try {
            for (String c :
                    files.read(Path.of(dir, "cgroup.controllers")).trim().split("\\s+")) {
                if (!c.isEmpty()) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            // no list: nothing is available there
        }
        return out;
    }

    /** Where {@code c} is, or null when this host has it in no hierarchy the container has a directory in. */
    public Target of(Controller c) {
        for (Map.Entry<String, String> e : dirs.entrySet()) {
            String key = e.getKey();
            if (key.equals("unified") || key.startsWith("name=")) {
                continue;
            }
            for (String name : key.split(",")) {
                if (name.equals(c.v1Name)) {
                    return new Target(e.getValue(), false);
                }
            }
        }
        if (unifiedDir == null) {
            return null;
        }
        if (c == Controller.DEVICES || (c.v2Name != null && unifiedControllers.contains(c.v2Name))) {
            return new Target(unifiedDir, true);
        }
        return null;
    }

    /**
     * Why the container cannot have {@code c}: the hierarchy that carries it is one a rootless caller cannot write;
     * null otherwise (then {@link #of} says where it is, or that the host has no such controller).
     */
    public String unwritable(Controller c) {
        for (Map.Entry<String, String> e : unwritable.entrySet()) {
            String key = e.getKey();
            if (key.equals("unified")) {
                if (c == Controller.DEVICES || (c.v2Name != null && offered.contains(c.v2Name))) {
                    return e.getValue() + unwritableHint;
                }
                continue;
            }
            for (String name : key.split(",")) {
                if (name.equals(c.v1Name)) {
                    return e.getValue() + unwritableHint;
                }
            }
        }
        return null;
    }

    /** Why linux.resources.unified cannot be written: the unified hierarchy is one the caller cannot write; or null. */
    public String unifiedUnwritable() {
        String why = unwritable.get("unified");
        return why == null ? null : why + unwritableHint;
    }

    public String unifiedDir() {
        return unifiedDir;
    }

    /** The container has a directory in the unified hierarchy and in no other: a cgroup v2 only host. */
    boolean unifiedOnly() {
        return unifiedDir != null && dirs.size() == 1;
    }

    public Set<String> unifiedControllers() {
        return unifiedControllers;
    }
}
