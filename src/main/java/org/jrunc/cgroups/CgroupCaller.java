package org.jrunc.cgroups;

import java.util.Map;

/**
 * Who makes a container's cgroup, which decides where it goes and what happens when it cannot be made. Root (euid 0 in
 * the initial user namespace) may use any cgroup. A rootless caller may use only cgroups delegated to it
 * ({@link RootlessCgroups}): a container that asks for no limits runs without the hierarchies it cannot write, as
 * runc's rootless cgroup managers do, and one that asks for limits there is refused naming the field.
 *
 * @param rootless runc's RootlessCgroups: the caller is not root in the initial user namespace
 * @param uid the caller's effective uid, which the messages name
 * @param ownPaths the caller's own cgroup by hierarchy key (/proc/self/cgroup): relative cgroupsPaths go below it
 */
public record CgroupCaller(boolean rootless, long uid, Map<String, String> ownPaths) {
    /** Root in the initial user namespace. */
    public static final CgroupCaller ROOT = new CgroupCaller(false, 0, Map.of());

    /** An unprivileged caller with effective uid {@code uid}, in the cgroups /proc/self/cgroup lists. */
    public static CgroupCaller rootless(long uid, CgroupLayout layout) {
        return new CgroupCaller(true, uid, layout.ownPaths());
    }
}
