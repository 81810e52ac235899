package org.jrunc.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.IdMapping;
import org.jrunc.rootfs.MountPlan;
import org.jrunc.sys.KernelFiles;

/**
 * A mount's uid= and gid= options (devpts, tmpfs, fuse, ...) name ids of the user namespace that mounts it, and the
 * kernel refuses one that has no mapping there with a bare EINVAL. That namespace is the container's new one (its
 * linux.uidMappings/gidMappings), or without one the namespace jrunc itself runs in, which for podman's rootless mode
 * maps only the user and its /etc/subuid range. An unmapped id is refused before anything is touched, in one line
 * naming the mount, the option and the map. Refused rather than dropped, as crun and runc keep the option too: a
 * silently dropped gid= would change who owns the files (runc's `spec --rootless` template leaves them out instead).
 */
final class MountIdOptions {
    private MountIdOptions() {}

    /**
     * @param uids the mounting namespace's uid ranges (containerID: the id inside), null when unknown (a user
     *     namespace joined by path)
     * @param where what the ranges are, for the message
     */
    static void check(List<MountPlan> mounts, List<IdMapping> uids, List<IdMapping> gids, String where) {
        for (int i = 0; i < mounts.size(); i++) {
            String data = mounts.get(i).data();
            if (data == null || data.isEmpty()) {
                continue;
            }
            for (String option : data.split(",")) {
                if (option.startsWith("uid=")) {
                    requireMapped(option, "uid", uids, i, where);
                } else if (option.startsWith("gid=")) {
                    requireMapped(option, "gid", gids, i, where);
                }
            }
        }
    }

    private static void requireMapped(String option, String kind, List<IdMapping> ranges, int index, String where) {
        long id;
        try {
            id = Long.parseLong(option.substring(4));
        } catch (NumberFormatException e) {
            return; // not an id: the filesystem judges it
        }
        if (ranges == null || contains(ranges, id)) {
            return;
        }
        throw new ConfigException("config.json: field mounts[" + index + "].options: \"" + option + "\": " + kind
                + " " + id + " is not mapped in " + where + " (" + kind + "s " + describe(ranges)
                + "), so the kernel cannot apply it");
    }

    private static boolean contains(List<IdMapping> ranges, long id) {
        for (IdMapping r : ranges) {
            if (r.containerID() != null
                    && r.size() != null
                    && id >= r.containerID()
                    && id < r.containerID() + r.size()) {
                return true;
            }
        }
        return false;
    }

    private static String describe(List<IdMapping> ranges) {
        List<String> out = new ArrayList<>();
        for (IdMapping r : ranges) {
            out.add(
                    r.size() == 1
                            ? Long.toString(r.containerID())
                            : r.containerID() + "-" + (r.containerID() + r.size() - 1));
        }
        return out.isEmpty() ? "none" : String.join(", ", out);
    }

    /** The ranges of this process's own user namespace, from /proc/self/uid_map or gid_map. */
    static List<IdMapping> ownRanges(String file) {
        String text = KernelFiles.readOrNull(Path.of("/proc/self/" + file));
        return text == null ? null : parseProcMap(text);
    }

    /** /proc/PID/uid_map text: "inside outside count" per line. */
    static List<IdMapping> parseProcMap(String text) {
        List<IdMapping> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3) {
                out.add(new IdMapping(Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2])));
            }
        }
        return out;
    }
}
