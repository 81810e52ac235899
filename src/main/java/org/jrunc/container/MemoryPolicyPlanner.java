package org.jrunc.container;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.config.ConfigException;
import org.jrunc.config.MemoryPolicy;
import org.jrunc.stage.protocol.ProcessPlan.MemoryPolicyPlan;
import org.jrunc.sys.BitmaskList;
import org.jrunc.sys.KernelRelease;

/**
 * linux.memoryPolicy (config-linux.md "Memory policy") as a {@link MemoryPolicyPlan}, checked as far as the
 * configuration alone allows: the names, the node list, the node count each mode needs (runc's rules) and the two
 * flags that exclude each other. Whether the nodes exist here is the kernel's to say: set_mempolicy(2) runs in the
 * init before it reports ready, so a policy it refuses fails `create`.
 */
public final class MemoryPolicyPlanner {
    private static final int MPOL_DEFAULT = 0;
    private static final int MPOL_PREFERRED = 1;
    private static final int MPOL_LOCAL = 4;
    private static final int MPOL_F_NUMA_BALANCING = 1 << 13;
    private static final int MPOL_F_RELATIVE_NODES = 1 << 14;
    private static final int MPOL_F_STATIC_NODES = 1 << 15;

    /** A mode or flag, and the kernel release that brought it. */
    private record Name(int value, int major, int minor) {}

    private static final Map<String, Name> MODES = new LinkedHashMap<>();
    private static final Map<String, Name> FLAGS = new LinkedHashMap<>();

    static {
        MODES.put("MPOL_DEFAULT", new Name(MPOL_DEFAULT, 2, 6));
        MODES.put("MPOL_PREFERRED", new Name(MPOL_PREFERRED, 2, 6));
        MODES.put("MPOL_BIND", new Name(2, 2, 6));
        MODES.put("MPOL_INTERLEAVE", new Name(3, 2, 6));
        MODES.put("MPOL_LOCAL", new Name(MPOL_LOCAL, 3, 8));
        MODES.put("MPOL_PREFERRED_MANY", new Name(5, 5, 15));
        MODES.put("MPOL_WEIGHTED_INTERLEAVE", new Name(6, 6, 9));
        FLAGS.put("MPOL_F_NUMA_BALANCING", new Name(MPOL_F_NUMA_BALANCING, 5, 12));
        FLAGS.put("MPOL_F_RELATIVE_NODES", new Name(MPOL_F_RELATIVE_NODES, 2, 6));
        FLAGS.put("MPOL_F_STATIC_NODES", new Name(MPOL_F_STATIC_NODES, 2, 6));
    }

    private MemoryPolicyPlanner() {}

    /** The plan of {@code p}, or null when config.json has none. */
    public static MemoryPolicyPlan plan(MemoryPolicy p) {
        if (p == null) {
            return null;
        }
        String f = "config.json: field linux.memoryPolicy.";
        if (p.mode() == null || p.mode().isEmpty()) {
            throw new ConfigException(f + "mode: must be set (" + String.join(", ", MODES.keySet()) + ")");
        }
        Name mode = MODES.get(p.mode());
        if (mode == null) {
            throw new ConfigException(
                    f + "mode: unknown mode \"" + p.mode() + "\" (" + String.join(", ", MODES.keySet()) + ")");
        }
        long[] nodes;
        try {
            nodes = BitmaskList.parse(p.nodes() == null ? "" : p.nodes());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(
                    f + "nodes: \"" + p.nodes() + "\" is not a list like \"0-3,7\": " + e.getMessage());
        }
        boolean none = nodes.length == 0;
        if ((mode.value() == MPOL_DEFAULT || mode.value() == MPOL_LOCAL) && !none) {
            throw new ConfigException(f + "nodes: " + p.mode() + " takes no nodes, got \"" + p.nodes() + "\"");
        }
        if (mode.value() != MPOL_DEFAULT && mode.value() != MPOL_LOCAL && mode.value() != MPOL_PREFERRED && none) {
            throw new ConfigException(f + "nodes: " + p.mode() + " needs at least one node");
        }
        int flags = 0;
        if (p.flags() != null) {
            for (String name : p.flags()) {
                Name flag = FLAGS.get(name);
                if (flag == null) {
                    throw new ConfigException(
                            f + "flags: unknown flag \"" + name + "\" (" + String.join(", ", FLAGS.keySet()) + ")");
                }
                flags |= flag.value();
            }
        }
        if ((flags & MPOL_F_STATIC_NODES) != 0 && (flags & MPOL_F_RELATIVE_NODES) != 0) {
            throw new ConfigException(f + "flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other");
        }
        return new MemoryPolicyPlan(p.mode(), mode.value() | flags, nodes);
    }

    /** The modes `features` reports: those this kernel has, none without NUMA support (no /sys/devices/system/node). */
    static List<String> supportedModes() {
        return supported(MODES);
    }

    /** The flags `features` reports, as {@link #supportedModes}. */
    static List<String> supportedFlags() {
        return supported(FLAGS);
    }

    private static List<String> supported(Map<String, Name> names) {
        List<String> out = new ArrayList<>();
        if (!Files.isDirectory(Path.of("/sys/devices/system/node"))) {
            return out;
        }
        for (Map.Entry<String, Name> e : names.entrySet()) {
            if (KernelRelease.atLeast(e.getValue().major(), e.getValue().minor())) {
                out.add(e.getKey());
            }
        }
        return out;
    }
}
