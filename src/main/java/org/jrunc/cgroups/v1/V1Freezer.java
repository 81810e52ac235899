package org.jrunc.cgroups.v1;

import java.nio.file.Path;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.FreezerFiles;

/** The v1 freezer controller: freezer.state, which reads FREEZING until every task has stopped. */
public final class V1Freezer {
    private V1Freezer() {}

    /** FREEZING counts as frozen too: runc reports paused as soon as the freeze was asked for. */
    public static boolean isFrozen(CgroupFiles files, String dir) {
        String s = FreezerFiles.read(files, Path.of(dir, "freezer.state"));
        return s != null && (s.startsWith("FROZEN") || s.startsWith("FREEZING"));
    }

    /** Writes FROZEN or THAWED; a freeze returns once the state reads FROZEN. */
    public static void set(CgroupFiles files, String dir, boolean frozen) {
        Path state = Path.of(dir, "freezer.state");
        FreezerFiles.write(files, state, frozen ? "FROZEN" : "THAWED");
        if (frozen) {
            FreezerFiles.await(files, state, "FROZEN");
        }
    }
}
