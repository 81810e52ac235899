package org.jrunc.cgroups;

import java.math.BigInteger;

/** uint64 handling for control files and JSON: Java longs carry the bits, and -1 is both "max" and 2^64-1. */
final class Numbers {
    private Numbers() {}

    /** "max" or a decimal uint64 as bits; a negative decimal counts as 0 like runc's ParseUint; junk is null. */
    static Long parseU64(String s) {
        if (s.equals("max")) {
            return -1L;
        }
        try {
            return Long.parseUnsignedLong(s);
        } catch (NumberFormatException e) {
            try {
                return Long.parseLong(s) < 0 ? 0L : null;
            } catch (NumberFormatException e2) {
                return null;
            }
        }
    }

    /** The JSON value of uint64 bits: a Long when it fits, else the unsigned BigInteger (as Go prints it). */
    static Object json(long bits) {
        return bits >= 0 ? (Object) bits : new BigInteger(Long.toUnsignedString(bits));
    }
}
