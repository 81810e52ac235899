package org.jrunc.cgroups;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the v1 devices controller would hold after a list of rules: a default (allow or deny) and exceptions keyed by
 * (type, major, minor) with their access bits. A port of runc's devices emulator (opencontainers/cgroups
 * devices_emulator.go). It gives both drivers one meaning for an ordered rule list:
 * <ul>
 * <li>v2: the eBPF filter is generated from the resulting exceptions, so "the last matching rule wins" exactly as a v1
 * kernel applies the same list;</li>
 * <li>v1: {@link #transition} writes only the difference between the cgroup's devices.list and the target, so an
 * update does not deny every device for a moment (writing "a" to devices.deny first would).</li>
 * </ul>
 * Like runc, removing access that a wildcard exception grants (deny c 1:3 after allow c *:*) is an error rather than
 * the silent no-op v1 makes of it.
 */
public final class DeviceEmulator {
    /**
     * Ordered by major, minor, type. equals, hashCode and compareTo are written out: a record's generated ones, and
     * a Comparator built from method references, bootstrap through method handles on first use, which cost every
     * `create` ~20 ms (they are not in the AOT cache).
     */
    record Key(char type, long major, long minor) implements Comparable<Key> {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.type == type && k.major == major && k.minor == minor;
        }

        @Override
        public int hashCode() {
            return (Long.hashCode(major) * 31 + Long.hashCode(minor)) * 31 + type;
        }

        @Override
        public int compareTo(Key o) {
            int c = Long.compare(major, o.major);
            if (c == 0) {
                c = Long.compare(minor, o.minor);
            }
            return c != 0 ? c : Character.compare(type, o.type);
        }
    }

    private boolean defaultAllow;
    private final Map<Key, Integer> exceptions = new HashMap<>();

    public DeviceEmulator(boolean defaultAllow) {
        this.defaultAllow = defaultAllow;
    }

    /** The state after applying {@code rules} in order to a cgroup that starts by denying everything. */
    public static DeviceEmulator of(List<DeviceAccessRule> rules) {
        DeviceEmulator e = new DeviceEmulator(false);
        for (DeviceAccessRule r : rules) {
            e.apply(r);
        }
        return e;
    }

    /**
     * A cgroup's devices.list. It lists what is allowed; "a *:* rwm" means allow-by-default, whose deny exceptions the
     * file cannot show (so {@link #transition} resets such a cgroup first).
     */
    public static DeviceEmulator fromList(String devicesList) {
        DeviceEmulator e = new DeviceEmulator(false);
        for (String line : devicesList.split("\n")) {
            line = line.trim();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("[ :]");
            if (f.length != 4 || f[0].length() != 1) {
                throw new IllegalArgumentException("malformed devices.list line \"" + line + "\"");
            }
            long major = f[1].equals("*") ? -1 : Long.parseLong(f[1]);
            long minor = f[2].equals("*") ? -1 : Long.parseLong(f[2]);
            e.apply(new DeviceAccessRule(f[0].charAt(0), major, minor, DeviceAccessRule.parseAccess(f[3]), true));
        }
        return e;
    }

    public boolean defaultAllow() {
        return defaultAllow;
    }

    void apply(DeviceAccessRule rule) {
        if (rule.type() == 'a') {
            // a wildcard rule resets the cgroup to allow-all or deny-all
            defaultAllow = rule.allow();
            exceptions.clear();
            return;
        }
        Key key = new Key(rule.type(), rule.major(), rule.minor());
        if (rule.allow() == defaultAllow) {
            remove(key, rule.access());
        } else {
            exceptions.put(key, exceptions.getOrDefault(key, 0) | rule.access());
        }
    }

    private void remove(Key key, int access) {
        Key[] wider = {
            new Key(key.type(), -1, key.minor()), new Key(key.type(), key.major(), -1), new Key(key.type(), -1, -1)
        };
        for (Key w : wider) {
            if (!w.equals(key) && (exceptions.getOrDefault(w, 0) & access) != 0) {
                throw new IllegalArgumentException("rule "
                        + new DeviceAccessRule(key.type(), key.major(), key.minor(), access, defaultAllow).v1Line()
                        + " cannot take access away from the wider rule "
                        + new DeviceAccessRule(w.type(), w.major(), w.minor(), exceptions.get(w), !defaultAllow)
                                .v1Line()
                        + " (the devices cgroup cannot punch holes in wildcard rules)");
            }
        }
        int left = exceptions.getOrDefault(key, 0) & ~access;
        if (left == 0) {
            exceptions.remove(key);
        } else {
            exceptions.put(key, left);
        }
    }

    /**
     * The fewest rules that turn this state into {@code target}, in a fixed order. A default that differs, or a source
     * in allow-by-default mode (whose denials devices.list cannot show), starts with the disruptive "a" rule.
     */
    public List<DeviceAccessRule> transition(DeviceEmulator target) {
        List<DeviceAccessRule> out = new ArrayList<>();
        Map<Key, Integer> old = exceptions;
        if (defaultAllow || defaultAllow != target.defaultAllow) {
            out.add(new DeviceAccessRule('a', -1, -1, DeviceAccessRule.ALL, target.defaultAllow));
            old = Map.of();
        }
        for (Key k : sorted(old)) {
            int dropped = old.get(k) & ~target.exceptions.getOrDefault(k, 0);
            if (dropped != 0) {
                out.add(new DeviceAccessRule(k.type(), k.major(), k.minor(), dropped, target.defaultAllow));
            }
        }
        for (Key k : sorted(target.exceptions)) {
            int gained = target.exceptions.get(k) & ~old.getOrDefault(k, 0);
            if (gained != 0) {
                out.add(new DeviceAccessRule(k.type(), k.major(), k.minor(), gained, !target.defaultAllow));
            }
        }
        return out;
    }

    /** The rules that build this state from deny-all: the exceptions, preceded by "allow a" in allow-by-default mode. */
    public List<DeviceAccessRule> rules() {
        return new DeviceEmulator(false).transition(this);
    }

    private static List<Key> sorted(Map<Key, Integer> m) {
        List<Key> keys = new ArrayList<>(m.keySet());
        keys.sort(null);
        return keys;
    }
}
