package org.jrunc.cgroups.systemd;

import org.jrunc.config.ConfigException;

/**
 * A container's unit under the systemd driver, named from linux.cgroupsPath as runc names it: "slice:prefix:name"
 * makes "prefix-name.scope" in the slice (system.slice when empty), or, when name ends in ".slice", that slice itself;
 * no cgroupsPath means ":jrunc:ID". The default prefix is jrunc's own, not runc's "runc": two runtimes on one host keep
 * their state apart, and a container ID used by both must not make them fight over one unit.
 *
 * @param name the unit: "prefix-name.scope" or "name.slice"
 * @param slice the slice it goes in (a slice unit's parent, which it Wants=)
 * @param cgroupPath its cgroup below each hierarchy's root, e.g. "/system.slice/jrunc-c1.scope"
 */
public record SystemdUnit(String name, String slice, String cgroupPath) {
    /** The prefix of a unit made without linux.cgroupsPath. */
    public static final String DEFAULT_PREFIX = "jrunc";
    /** Root's default slice, as runc's (the user bus's user.slice is not supported: see SystemdCgroupManagers). */
    public static final String DEFAULT_SLICE = "system.slice";

    private static final String SLICE = ".slice";

    /** @throws ConfigException naming linux.cgroupsPath when it is not "slice:prefix:name" or names a bad slice */
    public static SystemdUnit of(String cgroupsPath, String containerId) {
        String slice = DEFAULT_SLICE;
        String prefix = DEFAULT_PREFIX;
        String name = containerId;
        if (cgroupsPath != null && !cgroupsPath.isEmpty()) {
            String[] parts = cgroupsPath.split(":", -1);
            if (parts.length != 3) {
                throw new ConfigException("config.json: field linux.cgroupsPath: \"" + cgroupsPath
                        + "\" must be of the form slice:prefix:name for --systemd-cgroup");
            }
            if (!parts[0].isEmpty()) {
                slice = parts[0];
            }
            prefix = parts[1];
            name = parts[2];
        }
        String sliceDir = expand(slice, cgroupsPath);
        if (name.endsWith(SLICE)) {
            return new SystemdUnit(name, slice, expand(name, cgroupsPath));
        }
        String unit = prefix + "-" + name + ".scope";
        if (name.isEmpty() || unit.contains("/")) {
            throw new ConfigException("config.json: field linux.cgroupsPath: \"" + cgroupsPath
                    + "\" names no valid scope (\"" + unit + "\")");
        }
        return new SystemdUnit(unit, slice, (sliceDir.equals("/") ? "" : sliceDir) + "/" + unit);
    }

    /** Whether the unit is a slice (which holds no process itself) rather than a scope. */
    public boolean isSlice() {
        return name.endsWith(SLICE);
    }

    /**
     * A slice's cgroup path, as systemd nests slices by their dashes: "test-a.slice" is "/test.slice/test-a.slice",
     * "-.slice" the root "/".
     *
     * @throws ConfigException for a name that is no slice: no ".slice" suffix, a "/", an empty dash-separated part
     */
    public static String expandSlice(String slice) {
        return expand(slice, slice);
    }

    private static String expand(String slice, String cgroupsPath) {
        if (!slice.endsWith(SLICE) || slice.length() == SLICE.length() || slice.contains("/")) {
            throw badSlice(slice, cgroupsPath);
        }
        String base = slice.substring(0, slice.length() - SLICE.length());
        if (base.equals("-")) {
            return "/";
        }
        StringBuilder path = new StringBuilder();
        StringBuilder prefix = new StringBuilder();
        for (String component : base.split("-", -1)) {
            if (component.isEmpty()) {
                throw badSlice(slice, cgroupsPath);
            }
            path.append('/').append(prefix).append(component).append(SLICE);
            prefix.append(component).append('-');
        }
        return path.toString();
    }

    private static ConfigException badSlice(String slice, String cgroupsPath) {
        return new ConfigException("config.json: field linux.cgroupsPath: \"" + cgroupsPath + "\": \"" + slice
                + "\" is not a valid systemd slice name");
    }
}
