package org.jrunc.cgroups.systemd;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.cgroups.DeviceAccessRule;
import org.jrunc.cgroups.DeviceEmulator;

/**
 * linux.resources.devices as systemd's DevicePolicy and DeviceAllow, as runc's systemd driver gives them, so that
 * systemd re-applying the unit's settings (a daemon-reload; on v1 it would otherwise write "a" to devices.allow) keeps
 * the container's device rules. jrunc's own device writer (the eBPF program on v2, devices.allow/deny on v1) applies
 * the same rules afterwards, as runc's fs managers do.
 *
 * <p>systemd has only allow lists: an allow-all list is DevicePolicy=auto; other allow-by-default lists get a deny-all
 * unit (with a warning) and rely on jrunc's writer, as in runc. Exact devices become "/dev/char/M:m" (systemd ≥ 240),
 * "M:*" the group named in /proc/devices ("char-pts"), "*:*" "char-*"; "*:m" has no systemd form and is left out,
 * with a warning (runc does the same).
 */
public final class DeviceProperties {
    private DeviceProperties() {}

    /**
     * @param rules the container's rules, translated ({@link org.jrunc.cgroups.DeviceRuleTranslator})
     * @param procDevices the text of /proc/devices, for the names of wildcard-minor groups
     * @param warnings where to add what systemd cannot express
     */
    public static List<UnitProperty> of(List<DeviceAccessRule> rules, String procDevices, List<String> warnings) {
        DeviceEmulator state = DeviceEmulator.of(rules);
        List<DeviceAccessRule> exceptions = state.rules();
        List<UnitProperty> out = new ArrayList<>();
        if (state.defaultAllow()) {
            if (exceptions.size() == 1) {
                out.add(UnitProperty.string("DevicePolicy", "auto"));
            } else {
                warnings.add("systemd has no deny-list device rules: the unit denies every device and jrunc's own "
                        + "device rules apply the list");
                out.add(UnitProperty.string("DevicePolicy", "strict"));
            }
            out.add(UnitProperty.deviceAllow(List.of()));
            return out;
        }
        List<UnitProperty.DeviceAllow> allow = new ArrayList<>();
        for (DeviceAccessRule r : exceptions) {
            String group = r.type() == 'b' ? "block" : "char";
            String access = DeviceAccessRule.accessString(r.access());
            if (r.major() < 0 && r.minor() < 0) {
                allow.add(new UnitProperty.DeviceAllow(group + "-*", access));
            } else if (r.major() < 0) {
                warnings.add("systemd has no form for the device rule " + r.v1Line()
                        + ": it is left out of the unit's DeviceAllow");
            } else if (r.minor() < 0) {
                String name = groupName(procDevices, group, r.major());
                if (name == null) {
                    warnings.add("no " + group + " device group with major " + r.major()
                            + " in /proc/devices: the device rule " + r.v1Line()
                            + " is left out of the unit's DeviceAllow");
                } else {
                    allow.add(new UnitProperty.DeviceAllow(group + "-" + name, access));
                }
            } else {
                allow.add(new UnitProperty.DeviceAllow("/dev/" + group + "/" + r.major() + ":" + r.minor(), access));
            }
        }
        out.add(UnitProperty.string("DevicePolicy", "strict"));
        out.add(UnitProperty.deviceAllow(allow));
        return out;
    }

    /**
     * The name /proc/devices gives major {@code major} in its "Character devices:" or "Block devices:" section, or
     * null.
     */
    static String groupName(String procDevices, String group, long major) {
        String section = group.equals("block") ? "Block devices:" : "Character devices:";
        boolean in = false;
        for (String line : procDevices.split("\n")) {
            String t = line.trim();
            if (t.endsWith(":")) {
                in = t.equals(section);
                continue;
            }
            String[] f = t.split("\\s+", 2);
            if (in && f.length == 2 && f[0].equals(Long.toString(major))) {
                return f[1];
            }
        }
        return null;
    }
}
