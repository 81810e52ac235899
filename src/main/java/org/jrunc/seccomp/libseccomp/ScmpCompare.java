package org.jrunc.seccomp.libseccomp;

/** enum scmp_compare. */
public enum ScmpCompare {
    NE(1),
    LT(2),
    LE(3),
    EQ(4),
    GE(5),
    GT(6),
    /** (arg &amp; datumA) == datumB */
    MASKED_EQ(7);

    private final int code;

    ScmpCompare(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
