package org.jrunc.sys;

import java.io.IOException;
import java.nio.file.Path;
import org.jrunc.JruncException;

/** The calling process's effective uid and gid, the ids runc's `spec --rootless` maps and file access is checked as. */
public record EffectiveIds(long uid, long gid) {
    public static final EffectiveIds ROOT = new EffectiveIds(0, 0);

    /** From the second fields of the Uid: and Gid: lines of /proc/self/status ("real effective saved fs"). */
    public static EffectiveIds current() {
        long uid = -1;
        long gid = -1;
        try {
            for (String line : KernelFiles.read(Path.of("/proc/self/status")).split("\n")) {
                if (line.startsWith("Uid:")) {
                    uid = Long.parseLong(line.split("\\s+")[2]);
                } else if (line.startsWith("Gid:")) {
                    gid = Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException e) {
            throw new JruncException("cannot read /proc/self/status: " + e.getMessage());
        }
        if (uid < 0 || gid < 0) {
            throw new JruncException("/proc/self/status has no Uid: or Gid: line");
        }
        return new EffectiveIds(uid, gid);
    }

    public boolean isRoot() {
        return uid == 0;
    }
}
