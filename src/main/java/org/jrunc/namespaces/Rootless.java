package org.jrunc.namespaces;

import java.nio.file.Path;
import org.jrunc.JruncException;
import org.jrunc.sys.EffectiveIds;
import org.jrunc.sys.KernelFiles;

/**
 * Who calls jrunc, as runc's rootless detection sees it: the effective ids, and whether the process is in the initial
 * user namespace. Rootless means an effective uid other than 0, or uid 0 in a user namespace someone else made
 * (podman's rootless mode): either way there is no root of the initial namespace to create cgroups, write any id map
 * or mknod. Read from /proc with plain file I/O, so the hot commands can ask without loading JNA.
 */
public final class Rootless {
    /** The initial user namespace's uid_map: every id mapped to itself. */
    private static final String INITIAL_UID_MAP = "0 0 4294967295";

    private final int euid;
    private final int egid;
    private final boolean inUserNamespace;

    public Rootless(int euid, int egid, boolean inUserNamespace) {
        this.euid = euid;
        this.egid = egid;
        this.inUserNamespace = inUserNamespace;
    }

    /** This process, from /proc/self/status and /proc/self/uid_map. */
    public static Rootless ofSelf() {
        String status = KernelFiles.readOrNull(Path.of("/proc/self/status"));
        String uidMap = KernelFiles.readOrNull(Path.of("/proc/self/uid_map"));
        if (status == null) {
            throw new JruncException("cannot read /proc/self/status: is /proc mounted?");
        }
        return of(status, uidMap);
    }

    /**
     * From the text of /proc/PID/status (its Uid: and Gid: lines: real, effective, saved, filesystem) and uid_map;
     * a missing uid_map (a kernel without user namespaces) is the initial namespace.
     */
    static Rootless of(String status, String uidMap) {
        EffectiveIds ids = EffectiveIds.of(status);
        return new Rootless((int) ids.uid(), (int) ids.gid(), uidMap != null && !isInitialMap(uidMap));
    }

    private static boolean isInitialMap(String uidMap) {
        String[] lines = uidMap.trim().split("\n");
        return lines.length == 1
                && String.join(" ", lines[0].trim().split("\\s+")).equals(INITIAL_UID_MAP);
    }

    public int euid() {
        return euid;
    }

    public int egid() {
        return egid;
    }

    public boolean inUserNamespace() {
        return inUserNamespace;
    }

    /** runc's rootlessEUID or userns.RunningInUserNS: nothing of the initial namespace's root is at hand. */
    public boolean rootless() {
        return euid != 0 || inUserNamespace;
    }

    /**
     * runc's shouldHonorXDGRuntimeDir: the state goes under $XDG_RUNTIME_DIR for a non-root user, and for uid 0 in a
     * user namespace unless $USER says root (a root login's /run/user/0 is not used, for backward compatibility).
     */
    public boolean honoursXdgRuntimeDir(String user) {
        if (euid != 0) {
            return true;
        }
        return inUserNamespace && !"root".equals(user);
    }

    /**
     * The --rootless flag: "auto" (or empty) detects, anything else is a boolean in Go's strconv.ParseBool words, as
     * runc reads it.
     */
    public boolean decide(String mode) {
        Boolean forced = parseMode(mode);
        return forced != null ? forced : rootless();
    }

    /** @return null for auto, else the forced answer; throws for a value runc refuses too */
    public static Boolean parseMode(String mode) {
        if (mode == null || mode.isEmpty() || mode.equalsIgnoreCase("auto")) {
            return null;
        }
        switch (mode) {
            case "1":
            case "t":
            case "T":
            case "true":
            case "TRUE":
            case "True":
                return Boolean.TRUE;
            case "0":
            case "f":
            case "F":
            case "false":
            case "FALSE":
            case "False":
                return Boolean.FALSE;
            default:
                throw new JruncException("invalid value for --rootless: " + mode + " (true, false or auto)");
        }
    }
}
