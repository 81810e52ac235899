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

    ControllerPlacement(Map<String, String> dirs, Set<String> unifiedControllers) {
        this.dirs = dirs;
        this.unifiedDir = dirs.get("unified");
        this.unifiedControllers = unifiedDir == null ? Set.of() : unifiedControllers;
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
