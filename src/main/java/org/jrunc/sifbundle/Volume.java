package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;

/** An image VOLUME: its path in the container and the bundle directory bind-mounted there. */
record Volume(String destination, Path directory) {

    /**
     * Checks the image's Volumes keys and names their directories. A key must be an absolute path without "." or ".."
     * parts (it is used in a host path), and two keys must not map to the same directory ("/a/b" and "/a_b" both do).
     */
    static List<Volume> plan(List<String> destinations, String where) {
        List<Volume> out = new ArrayList<>();
        Map<Path, String> byDirectory = new HashMap<>();
        for (String raw : destinations) {
            String destination = checked(raw, where);
            Path dir = BundleLayout.volume(destination);
            String other = byDirectory.putIfAbsent(dir, raw);
            if (other != null) {
                throw new JruncException(where + ": Volumes \"" + Shown.of(other) + "\" and \"" + Shown.of(raw)
                        + "\" would share the bundle directory " + dir);
            }
            out.add(new Volume(destination, dir));
        }
        return out;
    }

    /** "/data/" and "//data" are the same volume as "/data"; the normalized form is used. */
    private static String checked(String raw, String where) {
        String bad = null;
        if (!raw.startsWith("/")) {
            bad = "is not an absolute path";
        } else if (raw.indexOf('\0') >= 0) {
            bad = "contains a NUL character";
        } else {
            for (String part : raw.split("/")) {
                if (part.equals(".") || part.equals("..")) {
                    bad = "contains a \"" + part + "\" component";
                }
            }
        }
        String normalized = raw.replaceAll("/+", "/").replaceAll("(.)/$", "$1");
        if (bad == null && normalized.equals("/")) {
            bad = "is the root directory";
        }
        if (bad != null) {
            throw new JruncException(where + ": Volumes \"" + Shown.of(raw) + "\" " + bad);
        }
        return normalized;
    }
}
