package org.jrunc.container;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.config.Device;
import org.jrunc.config.DeviceRule;
import org.jrunc.config.Linux;
import org.jrunc.config.Resources;

/**
 * The device access every container gets on top of linux.resources.devices, appended at the end so it wins, as runc
 * does: mknod of anything, and read/write/mknod of the default devices, the pty devices and /dev/net/tun. A default
 * device that linux.devices redefines by path is left to the config.
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

    /** The config's resources with the default rules appended to its device list. */
    static Resources withDefaults(Linux linux) {
        Resources r = linux.resources();
        List<DeviceRule> rules = new ArrayList<>(r == null || r.devices() == null ? List.of() : r.devices());
        for (Default d : DEFAULTS) {
            if (d.path() != null && redefined(linux, d.path())) {
                continue;
            }
            rules.add(new DeviceRule(true, String.valueOf(d.type()), d.major(), d.minor(), d.access()));
        }
        if (r == null) {
            return new Resources(rules, null, null, null, null, null, null, null, null);
        }
        return new Resources(
                rules,
                r.memory(),
                r.cpu(),
                r.pids(),
                r.blockIO(),
                r.hugepageLimits(),
                r.network(),
                r.rdma(),
                r.unified());
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
