package org.jrunc.sif;

/** Format of a cryptographic message object (Extra offset 0). */
public enum CryptoFormat implements CodedEnum {
    OPENPGP(1, "OpenPGP"),
    PEM(2, "PEM"),
    UNKNOWN(0, "Unknown");

    private final Coded coded;

    CryptoFormat(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static CryptoFormat fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
