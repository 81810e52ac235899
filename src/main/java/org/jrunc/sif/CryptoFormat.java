package org.jrunc.sif;

/** Format of a cryptographic message object (Extra offset 0). */
public enum CryptoFormat implements CodedEnum {
    OPENPGP(1, "OpenPGP"),
    PEM(2, "PEM"),
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String displayName;

    CryptoFormat(int code, String displayName) {
        this.code = code;
        this.displayName = displayName;
    }

    @Override
    public int code() {
        return code;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    public static CryptoFormat fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
