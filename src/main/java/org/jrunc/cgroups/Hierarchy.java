package org.jrunc.cgroups;

import java.util.List;

/**
 * One mounted cgroup hierarchy: a v1 hierarchy with its controllers (or a named one like name=systemd), or the v2
 * unified hierarchy.
 *
 * @param key how jrunc names it in state.json: "unified", a controller set like "cpu,cpuacct", or "name=systemd"
 * @param mountPoint where it is mounted in this mount namespace
 * @param root the mount's root within the hierarchy ("/" unless mounted from inside a cgroup namespace)
 */
public record Hierarchy(String key, boolean unified, List<String> controllers, String mountPoint, String root) {

    /** The name of this hierarchy's directory under /sys/fs/cgroup inside a container. */
    public String dirName() {
        return unified ? "unified" : mountPoint.substring(mountPoint.lastIndexOf('/') + 1);
    }

    /** The directory of cgroup {@code path} (absolute within the hierarchy) in this mount namespace. */
    public String dirOf(String path) {
        String rel = path;
        if (!root.equals("/") && rel.startsWith(root)) {
            rel = rel.substring(root.length());
        }
        if (rel.isEmpty() || rel.equals("/")) {
            return mountPoint;
        }
        return mountPoint + (rel.startsWith("/") ? rel : "/" + rel);
    }
}
