package org.jrunc.sif;

/** Hash algorithm of a signature object (Extra offset 0); display names are Go's crypto.Hash names. */
public enum HashType implements CodedEnum {
    SHA256(1, "SHA-256"),
    SHA384(2, "SHA-384"),
    SHA512(3, "SHA-512"),
    BLAKE2S_256(4, "BLAKE2s-256"),
    BLAKE2B_256(5, "BLAKE2b-256"),
    UNKNOWN(0, "Unknown");

    private final Coded coded;

    HashType(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static HashType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
