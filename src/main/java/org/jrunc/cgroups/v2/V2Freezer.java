package org.jrunc.cgroups.v2;

import java.nio.file.Path;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.FreezerFiles;

/** The cgroup v2 freezer: the core file cgroup.freeze, with "frozen 1" in cgroup.events once every task has stopped. */
public final class V2Freezer {
    private V2Freezer() {}

    public static boolean isFrozen(CgroupFiles files, String dir) {
        String s = FreezerFiles.read(files, Path.of(dir, "cgroup.freeze"));
        return s != null && s.startsWith("1");
    }

    /** Writes 1 or 0; a freeze returns once cgroup.events says "frozen 1". */
    public static void set(CgroupFiles files, String dir, boolean frozen) {
        FreezerFiles.write(files, Path.of(dir, "cgroup.freeze"), frozen ? "1" : "0");
        if (frozen) {
            FreezerFiles.await(files, Path.of(dir, "cgroup.events"), "frozen 1");
        }
    }
}
