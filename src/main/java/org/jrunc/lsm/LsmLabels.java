package org.jrunc.lsm;

import java.util.function.Consumer;

/**
 * Decides which requested labels can be applied. A label for a module that is not active is not applied, and a
 * warning names the field and says why: faking confinement would be worse than running without it, and refusing would
 * break every engine that sets a default profile without checking (podman and containerd do check).
 */
public final class LsmLabels {
    private LsmLabels() {}

    /** The AppArmor profile to apply, or null. */
    public static String apparmor(String profile, String field, LsmHost host, Consumer<String> warn) {
        return fit(profile, field, host.apparmor(), "AppArmor", warn);
    }

    /** The SELinux label to apply, or null. */
    public static String selinux(String label, String field, LsmHost host, Consumer<String> warn) {
        return fit(label, field, host.selinux(), "SELinux", warn);
    }

    private static String fit(String value, String field, boolean active, String module, Consumer<String> warn) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!active) {
            warn.accept(field + " \"" + value + "\" is not applied: " + module + " is not enabled on this host");
            return null;
        }
        return value;
    }
}
