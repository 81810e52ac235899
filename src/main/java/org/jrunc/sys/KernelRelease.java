package org.jrunc.sys;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The running kernel's release (uname -r, as the JVM reports it in os.version), for features tied to a version. */
public final class KernelRelease {
    private KernelRelease() {}

    /** Whether the running kernel is at least {@code major.minor}. */
    public static boolean atLeast(int major, int minor) {
        return atLeast(System.getProperty("os.version", ""), major, minor);
    }

    /** Whether {@code release} (e.g. "6.18.44-fc") is at least {@code major.minor}; false if it cannot be read. */
    static boolean atLeast(String release, int major, int minor) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        if (!m.find()) {
            return false;
        }
        int theirMajor = Integer.parseInt(m.group(1));
        int theirMinor = Integer.parseInt(m.group(2));
        return theirMajor > major || (theirMajor == major && theirMinor >= minor);
    }
}
