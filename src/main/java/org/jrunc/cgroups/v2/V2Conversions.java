package org.jrunc.cgroups.v2;

/**
 * The v1-shaped OCI values converted for cgroup v2, with the formulas runc 1.4+ and crun 1.23+ share so a container
 * gets the same weights whichever runtime started it.
 */
public final class V2Conversions {
    /** 1/ln 2 rounded to a double, Go's math.Log2E; keeps log2 bit-identical to Go's math.Log2. */
    private static final double LOG2E = 1.4426950408889634;

    private V2Conversions() {}

    /**
     * cpu.shares [2, 262144] (default 1024) to cpu.weight [1, 10000] (default 100) by the quadratic fit in log space
     * {@code weight = ceil(10^((l^2 + 125 l)/612 - 7/34))}, {@code l = log2(shares)}, which maps min, default and max
     * onto each other. It replaced runc's linear {@code 1 + (shares-2)*9999/262142}, which turned the default 1024
     * into 39 and so starved containers next to v2-native ones at weight 100. 0 means unset and stays 0.
     */
    public static long cpuWeight(long shares) {
        if (shares == 0) {
            return 0;
        }
        if (Long.compareUnsigned(shares, 2) <= 0) {
            return 1;
        }
        if (Long.compareUnsigned(shares, 262144) >= 0) {
            return 10000;
        }
        double l = log2(shares);
        double exponent = (l * l + 125 * l) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(Math.pow(10, exponent));
    }

    /** Go's math.Log2: exact for powers of two, which the default 1024 is. */
    private static double log2(long x) {
        double d = x;
        int exp = Math.getExponent(d) + 1;
        double frac = Math.scalb(d, -exp);
        if (frac == 0.5) {
            return exp - 1;
        }
        return Math.log(frac) * LOG2E + exp;
    }

    /** blkio weight [10, 1000] to io.weight [1, 10000], linearly: {@code 1 + (w - 10) * 9999 / 990}. */
    public static long ioWeight(int blkioWeight) {
        if (blkioWeight == 0) {
            return 0;
        }
        return 1 + (blkioWeight - 10L) * 9999 / 990;
    }

    /**
     * OCI swap is the memory+swap limit (v1's memsw); v2's memory.swap.max is swap alone, so it is swap - limit.
     * Arguments use 0 for unset and -1 for unlimited. Returns the memory.swap.max value (-1 = "max") or null when
     * nothing is to be written.
     *
     * @throws IllegalArgumentException when no v2 value expresses the pair
     */
    public static Long swapMax(long swap, long limit) {
        if (limit == -1 && swap == 0) {
            // like v1, an unlimited memory with no swap setting lifts the swap limit too
            return -1L;
        }
        if (swap == -1) {
            return -1L;
        }
        if (swap == 0) {
            return null;
        }
        if (limit == -1) {
            return swap;
        }
        if (limit == 0) {
            throw new IllegalArgumentException("cannot be converted to cgroup v2 (memory.swap.max = swap - limit) "
                    + "without linux.resources.memory.limit");
        }
        if (swap < limit) {
            throw new IllegalArgumentException(
                    "is below linux.resources.memory.limit " + limit + " (swap is the memory+swap limit)");
        }
        return swap - limit;
    }
}
