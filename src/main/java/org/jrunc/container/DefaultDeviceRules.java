package org.jrunc.container;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.cgroups.DeviceRuleTranslator;
import org.jrunc.config.Device;
import org.jrunc.config.DeviceRule;
import org.jrunc.config.Linux;
import org.jrunc.config.Resources;

/**
 * The device access every container gets with linux.resources.devices: mknod of anything, and read/write/mknod of the
 * default devices, the pty devices and /dev/net/tun. A default device that linux.devices redefines by path is left to
 * the config.
 *
 * <p>Where they go: the runtime-spec says the config's entries apply in the listed order, so the config has the last
 * word, and a rule denying a default device (/dev/tty, /dev/net/tun) must hold. runc and crun put the defaults after
 * the config (runc) or check them first (crun's eBPF), so such a denial is lost. Put before the whole list, though,
 * they would be wiped by the deny-all that runc's template and podman begin with (a type "a" rule resets the devices
 * cgroup). So the default devices go right after the config's last type "a" rule, or first when it has none. The two
 * mknod-anything rules stay last, as with runc and crun: a node gives no access by itself, and before a config's
 * "deny c X:Y rwm" they would make it a hole in a wildcard, which the devices cgroup cannot express.
 */
final class DefaultDeviceRules {
    private record Default(String path, char type, Long major, Long minor, String access) {}

    private static final List<Default> DEFAULTS = List.of(
            new Default(null, 'c', null, null, "m"),
            new Default(null, 'b', null, null, "m"),
            new Default("/dev/null", 'c', 1L, 3L, "rwm"),
            new Default("/dev/random", 'c', 1L, 8L, "rwm"),
            new Default("/dev/full", 'c', 1L, 7L, "rwm"),
            new Default("/dev/tty", 'c', 5L, 0L, "rwm"),
            new Default("/dev/zero", 'c', 1L, 5L, "rwm"),
            new Default("/dev/urandom", 'c', 1L, 9L, "rwm"),
            new Default(null, 'c', 136L, null, "rwm"),
            new Default("/dev/ptmx", 'c', 5L, 2L, "rwm"),
            new Default("/dev/net/tun", 'c', 10L, 200L, "rwm"));

    private DefaultDeviceRules() {}

    /** The config's resources with the default rules placed in its device list (see the class comment). */
    static Resources withDefaults(Linux linux) {
        Resources r = linux.resources();
        List<DeviceRule> rules = new ArrayList<>(r == null || r.devices() == null ? List.of() : r.devices());
        // the config's own rules are checked first, so that a message names their index in config.json
        DeviceRuleTranslator.translate(rules, "config.json");
        int at = afterLastReset(rules);
        for (Default d : DEFAULTS) {
            DeviceRule rule = new DeviceRule(true, String.valueOf(d.type()), d.major(), d.minor(), d.access());
            if (d.access().equals("m")) {
                rules.add(rule);
            } else if (d.path() == null || !redefined(linux, d.path())) {
                rules.add(at++, rule);
            }
        }
        if (r == null) {
            return new Resources(rules, null, null, null, null, null, null, null, null);
        }
        return r.withDevices(rules);
    }

    /** The index after the last rule of type "a" (or no type, which means "a"), which resets every earlier rule. */
    private static int afterLastReset(List<DeviceRule> rules) {
        for (int i = rules.size() - 1; i >= 0; i--) {
            String type = rules.get(i).type();
            if (type == null || type.isEmpty() || type.equals("a")) {
                return i + 1;
            }
        }
        return 0;
    }

    private static boolean redefined(Linux linux, String path) {
        for (Device d : linux.devicesOrEmpty()) {
            if (path.equals(d.path())) {
                return true;
            }
        }
        return false;
    }
}
