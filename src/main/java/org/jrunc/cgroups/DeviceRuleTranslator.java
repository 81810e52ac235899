package org.jrunc.cgroups;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.DeviceRule;

/**
 * linux.resources.devices[] to {@link DeviceAccessRule}s. Unset type, major and minor mean "all" (config-linux.md);
 * unset or empty access means "rwm", the only reading under which {"allow": false} alone denies anything.
 */
public final class DeviceRuleTranslator {
    /** The largest major or minor number struct bpf_cgroup_dev_ctx (u32) and dev_t can carry. */
    private static final long MAX_NUMBER = 0xFFFFFFFFL;

    private DeviceRuleTranslator() {}

    /** @param origin what the rules came from, for messages: "config.json" or the update's source */
    public static List<DeviceAccessRule> translate(List<DeviceRule> rules, String origin) {
        List<DeviceAccessRule> out = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            out.add(translate(rules.get(i), origin, "linux.resources.devices[" + i + "]"));
        }
        return out;
    }

    static DeviceAccessRule translate(DeviceRule rule, String origin, String field) {
        if (rule == null) {
            throw invalid(origin, field, "null", "is not a device rule");
        }
        if (rule.allow() == null) {
            throw invalid(origin, field + ".allow", "null", "is not allowed: allow is required");
        }
        String type = rule.type() == null || rule.type().isEmpty() ? "a" : rule.type();
        if (!type.equals("a") && !type.equals("c") && !type.equals("b")) {
            throw invalid(origin, field + ".type", "\"" + type + "\"", "is not a device type (a, c or b)");
        }
        long major = number(rule.major(), origin, field + ".major");
        long minor = number(rule.minor(), origin, field + ".minor");
        String accessText = rule.access() == null || rule.access().isEmpty() ? "rwm" : rule.access();
        int access;
        try {
            access = DeviceAccessRule.parseAccess(accessText);
        } catch (IllegalArgumentException e) {
            throw invalid(origin, field + ".access", "\"" + accessText + "\"", "is not a subset of \"rwm\"");
        }
        if (type.equals("a")) {
            // "a" always means every device; numbers on it are meaningless and v1 prints it as "a *:* rwm"
            major = -1;
            minor = -1;
        }
        return new DeviceAccessRule(type.charAt(0), major, minor, access, rule.allow());
    }

    private static long number(Long n, String origin, String field) {
        if (n == null) {
            return -1;
        }
        if (n < -1 || n > MAX_NUMBER) {
            throw invalid(origin, field, Long.toString(n), "is not a device number (-1 for any, or 0 to 4294967295)");
        }
        return n;
    }

    private static ConfigException invalid(String origin, String field, String value, String why) {
        return new ConfigException(origin + ": field " + field + ": " + value + " " + why);
    }
}
