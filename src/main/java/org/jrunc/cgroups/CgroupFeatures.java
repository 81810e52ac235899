package org.jrunc.cgroups;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrunc.sys.KernelFiles;

/** The "linux.cgroup" section of `features` (runtime-spec features.md) for this host's hierarchies. */
public final class CgroupFeatures {
    private CgroupFeatures() {}

    public static Map<String, Object> of(CgroupLayout layout) {
        Map<String, Object> cgroup = new LinkedHashMap<>();
        cgroup.put("v1", layout.hierarchies().stream().anyMatch(h -> !h.unified()));
        cgroup.put("v2", layout.unified() != null);
        // the drivers jrunc has (runtime-spec features.md): systemd's on the system bus, not on a user's bus
        cgroup.put("systemd", true);
        cgroup.put("systemdUser", false);
        cgroup.put("rdma", layout.v1("rdma") != null || rdmaOnUnified(layout));
        return cgroup;
    }

    private static boolean rdmaOnUnified(CgroupLayout layout) {
        if (layout.unified() == null) {
            return false;
        }
        String c = KernelFiles.readOrNull(Path.of(layout.unified().mountPoint(), "cgroup.controllers"));
        return c != null && c.contains("rdma");
    }
}
