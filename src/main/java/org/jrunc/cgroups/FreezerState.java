package org.jrunc.cgroups;

import org.jrunc.sys.KernelFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads whether a container's cgroup is frozen, with plain file reads (it is on the `state` hot path). */
public final class FreezerState {
    private FreezerState() {
    }

    public static boolean isFrozen(Map<String, String> cgroupPaths) {
        String v1 = cgroupPaths.get("freezer");
        if (v1 != null) {
            String s = read(Path.of(v1, "freezer.state"));
            // FREEZING counts as paused too: runc reports paused as soon as the freeze was asked for
            return s != null && (s.startsWith("FROZEN") || s.startsWith("FREEZING"));
        }
        String v2 = cgroupPaths.get("unified");
        if (v2 != null) {
            String s = read(Path.of(v2, "cgroup.freeze"));
            return s != null && s.startsWith("1");
        }
        return false;
    }

    private static String read(Path p) {
        try {
            return KernelFiles.read(p).trim();
        } catch (IOException e) {
            return null;
        }
    }
}
