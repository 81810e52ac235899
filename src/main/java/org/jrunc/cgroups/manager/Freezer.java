package org.jrunc.cgroups.manager;

import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.v1.V1Freezer;
import org.jrunc.cgroups.v2.V2Freezer;

/**
 * pause and resume: the v1 freezer when it is mounted, else cgroup.freeze of the unified hierarchy (which works on this
 * project's hybrid hosts too). Plain file I/O: {@link #isFrozen} is on the `state` path (through
 * {@link CgroupfsManager#isFrozen}).
 */
public final class Freezer {
    private Freezer() {}

    /** Whether the container with these cgroup directories (state.json's cgroupPaths) is frozen or freezing. */
    static boolean isFrozen(CgroupFiles files, Map<String, String> dirs) {
        String v1 = dirs.get("freezer");
        if (v1 != null) {
            return V1Freezer.isFrozen(files, v1);
        }
        String v2 = dirs.get("unified");
        if (v2 != null) {
            return V2Freezer.isFrozen(files, v2);
        }
        return false;
    }

    static void set(CgroupFiles files, Map<String, String> dirs, boolean frozen) {
        String v1 = dirs.get("freezer");
        if (v1 != null) {
            V1Freezer.set(files, v1, frozen);
            return;
        }
        String v2 = dirs.get("unified");
        if (v2 == null) {
            throw new JruncException("the container has no freezer cgroup");
        }
        V2Freezer.set(files, v2, frozen);
    }
}
