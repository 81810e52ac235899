package org.jrunc.cgroups.systemd;

import java.util.List;

/**
 * One property of a transient unit, as StartTransientUnit and SetUnitProperties take it: a name and a value of the
 * D-Bus type {@code signature}. Values are plain Java ({@link DbusSystemdBus} makes D-Bus types of them): "s" String,
 * "b" Boolean, "t" Long (unsigned 64 bits; -1 is systemd's infinity), "as" List of String, "au" List of Integer, "ay" byte[], "a(ss)" List
 * of {@link DeviceAllow}.
 */
public record UnitProperty(String name, String signature, Object value) {
    /** One entry of DeviceAllow: a device path or group ("/dev/char/1:3", "char-pts", "block-*") and "rwm" letters. */
    public record DeviceAllow(String path, String access) {}

    /** Systemd's infinity for a "t" property (USEC_INFINITY, CGROUP_LIMIT_MAX): all 64 bits set. */
    public static final long INFINITY = -1L;

    public static UnitProperty string(String name, String value) {
        return new UnitProperty(name, "s", value);
    }

    public static UnitProperty bool(String name, boolean value) {
        return new UnitProperty(name, "b", value);
    }

    public static UnitProperty uint64(String name, long value) {
        return new UnitProperty(name, "t", value);
    }

    public static UnitProperty strings(String name, List<String> values) {
        return new UnitProperty(name, "as", List.copyOf(values));
    }

    public static UnitProperty pids(String name, List<Integer> pids) {
        return new UnitProperty(name, "au", List.copyOf(pids));
    }

    public static UnitProperty bytes(String name, byte[] value) {
        return new UnitProperty(name, "ay", value.clone());
    }

    public static UnitProperty deviceAllow(List<DeviceAllow> entries) {
        return new UnitProperty("DeviceAllow", "a(ss)", List.copyOf(entries));
    }
}
