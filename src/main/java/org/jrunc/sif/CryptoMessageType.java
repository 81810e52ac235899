package org.jrunc.sif;

/** Kind of a cryptographic message object (Extra offset 4). */
public enum CryptoMessageType implements CodedEnum {
    CLEAR_SIGNATURE(0x100, "Clear Signature"),
    RSA_OAEP(0x200, "RSA-OAEP"),
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String displayName;

    CryptoMessageType(int code, String displayName) {
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

    public static CryptoMessageType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
