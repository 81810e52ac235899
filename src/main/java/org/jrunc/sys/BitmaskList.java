package org.jrunc.sys;

import java.util.Arrays;

/**
 * The kernel's list format for CPUs and NUMA nodes ("0-3,7", as in /proc/PID/status and cpuset.cpus) as the bitmask
 * sched_setaffinity(2) and set_mempolicy(2) take: 64 ids per long, lowest first. Spaces around an element and empty
 * elements are allowed, as runc allows them.
 */
public final class BitmaskList {
    /** The largest id accepted: a sanity limit against a huge mask for a bogus list (runc's, 64 Ki). */
    public static final int MAX_ID = 64 * 1024;

    private BitmaskList() {}

    /**
     * The mask of {@code list}; an empty array when it names no id.
     *
     * @throws IllegalArgumentException why the list is not one (the message completes "... is not a list like 0-3,7:")
     */
    public static long[] parse(String list) {
        int[] from = new int[8];
        int[] to = new int[8];
        int n = 0;
        int max = -1;
        for (String part : list.split(",", -1)) {
            String p = part.trim();
            if (p.isEmpty()) {
                continue;
            }
            int dash = p.indexOf('-');
            int a = id(dash < 0 ? p : p.substring(0, dash).trim());
            int b = dash < 0 ? a : id(p.substring(dash + 1).trim());
            if (a > b) {
                throw new IllegalArgumentException("the range " + p + " runs backwards");
            }
            if (n == from.length) {
                from = Arrays.copyOf(from, n * 2);
                to = Arrays.copyOf(to, n * 2);
            }
            from[n] = a;
            to[n] = b;
            n++;
            max = Math.max(max, b);
        }
        if (max < 0) {
            return new long[0];
        }
        long[] mask = new long[max / 64 + 1];
        for (int i = 0; i < n; i++) {
            for (int id = from[i]; id <= to[i]; id++) {
                mask[id / 64] |= 1L << (id % 64);
            }
        }
        return mask;
    }

    /** The ids set in {@code mask}, in list format ("0-3,7"); "" for none. */
    public static String format(long[] mask) {
        StringBuilder out = new StringBuilder();
        int bits = mask.length * 64;
        for (int id = 0; id < bits; id++) {
            if (!isSet(mask, id)) {
                continue;
            }
            int end = id;
            while (end + 1 < bits && isSet(mask, end + 1)) {
                end++;
            }
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(id);
            if (end > id) {
                out.append('-').append(end);
            }
            id = end;
        }
        return out.toString();
    }

    private static boolean isSet(long[] mask, int id) {
        return (mask[id / 64] & (1L << (id % 64))) != 0;
    }

    private static int id(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("a range lacks a number");
        }
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                throw new IllegalArgumentException("\"" + s + "\" is not a number");
            }
        }
        if (s.length() > 6 || Integer.parseInt(s) > MAX_ID) {
            throw new IllegalArgumentException("\"" + s + "\" is above " + MAX_ID);
        }
        return Integer.parseInt(s);
    }
}
