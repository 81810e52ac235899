package org.jrunc.sif;

/** Kind of a cryptographic message object (Extra offset 4). */
public enum CryptoMessageType implements CodedEnum {
    CLEAR_SIGNATURE(0x100, "Clear Signature"),
    RSA_OAEP(0x200, "RSA-OAEP"),
    UNKNOWN(0, "Unknown");

    private final Coded coded;

    CryptoMessageType(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static CryptoMessageType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
