package org.jrunc.sif;

/**
 * Architecture codes of the header Arch field and of partition descriptors: two ASCII digits; {@link #goArch()} is
 * the Go GOARCH name that siftool prints and that {@code siftool add --partarch} accepts by number.
 */
public enum SifArch {
    UNKNOWN("00", "unknown"),
    I386("01", "386"),
    AMD64("02", "amd64"),
    ARM("03", "arm"),
    ARM64("04", "arm64"),
    PPC64("05", "ppc64"),
    PPC64LE("06", "ppc64le"),
    MIPS("07", "mips"),
    MIPSLE("08", "mipsle"),
    MIPS64("09", "mips64"),
    MIPS64LE("10", "mips64le"),
    S390X("11", "s390x"),
    RISCV64("12", "riscv64"),
    LOONG64("13", "loong64");

    private final String code;
    private final String goArch;

    SifArch(String code, String goArch) {
        this.code = code;
        this.goArch = goArch;
    }

    /** The two-digit code stored in the file, e.g. "02". */
    public String code() {
        return code;
    }

    public String goArch() {
        return goArch;
    }

    /** Unrecognised codes read as UNKNOWN, as Go's sif library does. */
    public static SifArch fromCode(String code) {
        for (SifArch a : values()) {
            if (a.code.equals(code)) {
                return a;
            }
        }
        return UNKNOWN;
    }

    /** By GOARCH name ("amd64", "arm64"); UNKNOWN for names not in the table. */
    public static SifArch fromGoArch(String goArch) {
        for (SifArch a : values()) {
            if (a.goArch.equals(goArch)) {
                return a;
            }
        }
        return UNKNOWN;
    }
}
