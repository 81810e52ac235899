package org.jrunc.cgroups.v2;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupErrno;
import org.jrunc.cgroups.ControlFiles;
import org.jrunc.cgroups.ControllerPlacement;

/**
 * Enables cgroup v2 controllers for a container directory: a controller's files appear in a cgroup only when every
 * ancestor from the mount root down to its parent lists it in cgroup.subtree_control (runc and crun do the same walk).
 * The container's own subtree_control is left alone: enabling a domain controller there would forbid processes in it.
 */
public final class SubtreeControl {
    private SubtreeControl() {}

    /**
     * Enables {@code wanted} where possible and fails if one of {@code needed} (a subset) is still missing from the
     * directory afterwards, with the kernel's reason for the ancestor that refused it.
     */
    public static void enable(ControlFiles io, String mountPoint, String dir, Set<String> wanted, Set<String> needed) {
        Map<String, String> refused = new LinkedHashMap<>();
        for (Path ancestor : ancestors(Path.of(mountPoint), Path.of(dir))) {
            String a = ancestor.toString();
            String current = io.get(a, "cgroup.subtree_control");
            Set<String> on = current == null ? Set.of() : new HashSet<>(Arrays.asList(current.split("\\s+")));
            for (String c : wanted) {
                if (on.contains(c)) {
                    continue;
                }
                IOException e = io.tryWrite(a, "cgroup.subtree_control", "+" + c);
                if (e != null) {
                    refused.putIfAbsent(
                            c,
                            "writing \"+" + c + "\" to " + ancestor.resolve("cgroup.subtree_control") + ": "
                                    + CgroupErrno.reason(e));
                }
            }
        }
        if (!io.has(dir, "cgroup.controllers")) {
            return; // the directory is not there yet (validation before create); the writes will tell
        }
        Set<String> have = ControllerPlacement.controllerList(io.files(), dir);
        for (String c : needed) {
            if (!have.contains(c)) {
                throw new JruncException("cannot enable the cgroup v2 controller \"" + c + "\" for " + dir
                        + (refused.containsKey(c) ? ": " + refused.get(c) : ""));
            }
        }
    }

    /** The mount root and each directory below it down to the parent of {@code dir}. */
    static List<Path> ancestors(Path mount, Path dir) {
        List<Path> out = new ArrayList<>();
        if (!dir.startsWith(mount) || dir.equals(mount)) {
            return out;
        }
        for (Path p = dir.getParent(); p != null && p.startsWith(mount); p = p.getParent()) {
            out.add(0, p);
        }
        return out;
    }
}
