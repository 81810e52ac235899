package org.jrunc.sif;

/**
 * An enumeration stored in SIF as an int32 code, with the display name siftool prints. Each such enum has an
 * UNKNOWN constant so that values written by newer tools read back without failing.
 */
public interface CodedEnum {
    /** The code and name of one constant (enums cannot share fields, so each holds one of these). */
    record Coded(int code, String displayName) {}

    Coded coded();

    default int code() {
        return coded().code();
    }

    default String displayName() {
        return coded().displayName();
    }

    /** The constant of {@code values} with {@code code}, or {@code unknown}. */
    static <E extends CodedEnum> E fromCode(E[] values, int code, E unknown) {
        for (E e : values) {
            if (e != unknown && e.code() == code) {
                return e;
            }
        }
        return unknown;
    }
}
