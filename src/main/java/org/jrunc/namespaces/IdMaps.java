package org.jrunc.namespaces;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jrunc.JruncException;
import org.jrunc.config.IdMapping;
import org.jrunc.sys.HostPath;
import org.jrunc.sys.KernelFiles;

/**
 * The uid and gid maps of a new user namespace, and how this caller writes them to /proc/PID/uid_map and gid_map.
 *
 * <p>Root (of the initial namespace, or of the user namespace the caller runs in: podman's rootless mode) writes
 * both itself, each in the single write(2) the kernel requires. An unprivileged caller may write only a map of its own
 * id alone, and gid_map only once setgroups(2) is denied in the namespace (user_namespaces(7)). Any other map goes
 * through the setuid helpers newuidmap and newgidmap (shadow-utils' uidmap package, which runc, crun and podman run
 * too), which map only the caller's own id and the ranges /etc/subuid and /etc/subgid give the user. Those ranges are
 * checked when the maps are planned, so a mapping the helper would refuse is refused before anything exists, in one
 * line naming the range.
 */
public final class IdMaps {
    private static final long HELPER_TIMEOUT_SECONDS = 30;

    private final List<IdMapping> uids;
    private final List<IdMapping> gids;
    /** newuidmap's path, or null to write uid_map directly. */
    private final Path uidHelper;
    /** newgidmap's path, or null to write gid_map directly. */
    private final Path gidHelper;
    /** An unprivileged caller's own gid written directly: setgroups is denied first, and stays denied. */
    private final boolean deniesSetgroups;

    private IdMaps(List<IdMapping> uids, List<IdMapping> gids, Path uidHelper, Path gidHelper, boolean deny) {
        this.uids = required(uids, "linux.uidMappings");
        this.gids = required(gids, "linux.gidMappings");
        this.uidHelper = uidHelper;
        this.gidHelper = gidHelper;
        this.deniesSetgroups = deny;
    }

    private static List<IdMapping> required(List<IdMapping> map, String field) {
        if (map == null || map.isEmpty()) {
            throw new JruncException(
                    "a new user namespace needs linux.uidMappings and linux.gidMappings (" + field + " is empty)");
        }
        return map;
    }

    /** Maps written directly, as root may. */
    public static IdMaps asRoot(List<IdMapping> uids, List<IdMapping> gids) {
        return new IdMaps(uids, gids, null, null, false);
    }

    /** Writes the maps as root: for a user namespace only the runtime's own code uses (idmapped mounts). */
    public static void write(int pid, List<IdMapping> uids, List<IdMapping> gids) {
        asRoot(uids, gids).writeTo(pid);
    }

    /** The maps as the calling process may write them; a map it may not make fails here, naming the range. */
    public static IdMaps forCaller(Rootless caller, List<IdMapping> uids, List<IdMapping> gids) {
        if (caller.euid() == 0) {
            return asRoot(uids, gids);
        }
        String name = System.getProperty("user.name", "");
        return unprivileged(
                caller.euid(),
                caller.egid(),
                uids,
                gids,
                new Helpers(),
                SubordinateIds.read(SubordinateIds.SUBUID, name, caller.euid()),
                SubordinateIds.read(SubordinateIds.SUBGID, name, caller.egid()));
    }

    /** Where newuidmap and newgidmap are, for an unprivileged caller that needs them. */
    static class Helpers {
        Path find(String helper, String purpose) {
            return HostPath.find(helper)
                    .orElseThrow(() -> new JruncException(helper + " not found on PATH: " + purpose
                            + " needs it (install the uidmap package), or map only your own id with size 1"));
        }
    }

    static IdMaps unprivileged(
            long uid,
            long gid,
            List<IdMapping> uids,
            List<IdMapping> gids,
            Helpers helpers,
            SubordinateIds subuids,
            SubordinateIds subgids) {
        required(uids, "linux.uidMappings");
        required(gids, "linux.gidMappings");
        boolean ownUid = isOwnIdAlone(uids, uid);
        boolean ownGid = isOwnIdAlone(gids, gid);
        if (!ownUid) {
            checkWithin(uids, "linux.uidMappings", "uid", uid, subuids);
        }
        if (!ownGid) {
            checkWithin(gids, "linux.gidMappings", "gid", gid, subgids);
        }
        return new IdMaps(
                uids,
                gids,
                ownUid ? null : helpers.find("newuidmap", "linux.uidMappings beyond your own uid"),
                ownGid ? null : helpers.find("newgidmap", "linux.gidMappings beyond your own gid"),
                ownGid);
    }

    private static boolean isOwnIdAlone(List<IdMapping> map, long own) {
        if (map.size() != 1) {
            return false;
        }
        IdMapping m = map.get(0);
        return m.hostID() != null && m.hostID() == own && m.size() != null && m.size() == 1;
    }

    /** What newuidmap/newgidmap allow: each range the caller's own id alone, or within its subordinate ranges. */
    private static void checkWithin(List<IdMapping> map, String field, String kind, long own, SubordinateIds subs) {
        for (int i = 0; i < map.size(); i++) {
            IdMapping m = map.get(i);
            long host = m.hostID() == null ? -1 : m.hostID();
            long size = m.size() == null ? 0 : m.size();
            if (size == 1 && host == own) {
                continue;
            }
            if (host < 0 || !subs.covers(host, size)) {
                String range = size <= 0
                        ? "host " + kind + " " + host + " with size " + size
                        : "host " + kind + "s " + host + "-" + (host + size - 1);
                throw new JruncException("config.json: field " + field + "[" + i + "]: " + range
                        + " may not be mapped by " + kind + " " + own + ": it may map its own " + kind
                        + " alone and its subordinate " + kind + "s (" + subs.describe() + ")");
            }
        }
    }

    /** Whether the namespace's setgroups is "deny" once the maps are written: no supplementary groups then. */
    public boolean deniesSetgroups() {
        return deniesSetgroups;
    }

    /** Writes uid_map and gid_map of {@code pid}, a child waiting in its new user namespace. */
    public void writeTo(int pid) {
        if (uidHelper != null) {
            runHelper(uidHelper, pid, uids);
        } else {
            writeMap(pid, "uid_map", uids);
        }
        if (gidHelper != null) {
            runHelper(gidHelper, pid, gids);
        } else {
            if (deniesSetgroups) {
                writeProcFile(pid, "setgroups", "deny");
            }
            writeMap(pid, "gid_map", gids);
        }
    }

    private static void writeMap(int pid, String file, List<IdMapping> map) {
        StringBuilder b = new StringBuilder();
        for (IdMapping m : map) {
            b.append(m.containerID())
                    .append(' ')
                    .append(m.hostID())
                    .append(' ')
                    .append(m.size())
                    .append('\n');
        }
        writeProcFile(pid, file, b.toString());
    }

    private static void writeProcFile(int pid, String file, String text) {
        try {
            KernelFiles.write(Path.of("/proc/" + pid + "/" + file), text);
        } catch (IOException e) {
            throw new JruncException(
                    "writing " + file + " (" + text.trim().replace('\n', ',') + "): " + JruncException.reason(e));
        }
    }

    /**
     * newuidmap PID ID LOWERID COUNT...: run from this JVM while the child waits for its go-ahead. Its error line (it
     * names what it refused) becomes the error.
     */
    private static void runHelper(Path helper, int pid, List<IdMapping> map) {
        List<String> cmd = new ArrayList<>();
        cmd.add(helper.toString());
        cmd.add(Integer.toString(pid));
        for (IdMapping m : map) {
            cmd.add(Long.toString(m.containerID()));
            cmd.add(Long.toString(m.hostID()));
            cmd.add(Long.toString(m.size()));
        }
        String shown = String.join(" ", cmd);
        try {
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectErrorStream(false)
                    .start();
            String err;
            try (var in = p.getErrorStream()) {
                err = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
            if (!p.waitFor(HELPER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JruncException(shown + ": no answer after " + HELPER_TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                throw new JruncException(shown + " failed (exit " + p.exitValue() + ")"
                        + (err.isEmpty() ? "" : ": " + err.replace('\n', ' ')));
            }
        } catch (IOException e) {
            throw new JruncException("cannot run " + shown + ": " + JruncException.reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException(shown + " interrupted");
        }
    }
}
