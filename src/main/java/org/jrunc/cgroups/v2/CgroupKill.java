package org.jrunc.cgroups.v2;

import java.io.IOException;
import java.nio.file.Path;
import org.jrunc.cgroups.CgroupFiles;

/** cgroup.kill (kernel 5.14+): SIGKILL to every process of a cgroup and its descendants in one write. */
public final class CgroupKill {
    private CgroupKill() {}

    /** @return false when this kernel has no cgroup.kill or the write failed: the caller signals one by one */
    public static boolean kill(CgroupFiles files, String dir) {
        Path kill = Path.of(dir, "cgroup.kill");
        if (!files.exists(kill)) {
            return false;
        }
        try {
            files.write(kill, "1");
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
