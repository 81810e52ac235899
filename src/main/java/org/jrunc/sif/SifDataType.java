package org.jrunc.sif;

/** The DataType of a SIF object; {@link #displayName()} is the name {@code siftool list} prints. */
public enum SifDataType implements CodedEnum {
    DEFFILE(0x4001, "Def.FILE"),
    ENV_VARS(0x4002, "Env.Vars"),
    LABELS(0x4003, "JSON.Labels"),
    PARTITION(0x4004, "FS"),
    SIGNATURE(0x4005, "Signature"),
    GENERIC_JSON(0x4006, "JSON.Generic"),
    GENERIC(0x4007, "Generic/Raw"),
    CRYPTO_MESSAGE(0x4008, "Cryptographic Message"),
    SBOM(0x4009, "SBOM"),
    OCI_ROOT_INDEX(0x400a, "OCI.RootIndex"),
    OCI_BLOB(0x400b, "OCI.Blob"),
    /** A type this library does not know; the raw code is kept in {@link SifDescriptor#dataTypeCode()}. */
    UNKNOWN(0, "Unknown");

    private final Coded coded;

    SifDataType(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static SifDataType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }

    /** OCI blobs and the root index carry their sha256 digest in the descriptor's Extra field. */
    public boolean isOci() {
        return this == OCI_ROOT_INDEX || this == OCI_BLOB;
    }
}
