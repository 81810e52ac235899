package org.jrunc.sys;

import java.io.IOException;
import java.nio.file.Path;
import org.jrunc.JruncException;

/** The calling process's effective uid and gid, the ids runc's `spec --rootless` maps and file access is checked as. */
public record EffectiveIds(long uid, long gid) {
    public static final EffectiveIds ROOT = new EffectiveIds(0, 0);

    /** This process's, from /proc/self/status. */
    public static EffectiveIds current() {
        try {
            return of(KernelFiles.read(Path.of("/proc/self/status")));
        } catch (IOException e) {
            throw new JruncException("cannot read /proc/self/status: " + e.getMessage());
        }
    }

    /** From the text of /proc/PID/status: the second fields of its Uid: and Gid: lines ("real effective saved fs"). */
    public static EffectiveIds of(String status) {
        long uid = -1;
        long gid = -1;
        for (String line : status.split("\n")) {
            if (line.startsWith("Uid:")) {
                uid = Long.parseLong(line.split("\\s+")[2]);
            } else if (line.startsWith("Gid:")) {
                gid = Long.parseLong(line.split("\\s+")[2]);
            }
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
