package org.jrunc.sif;

/** Filesystem type of a partition object (Extra offset 0). */
public enum FsType implements CodedEnum {
    SQUASHFS(1, "Squashfs"),
    EXT3(2, "Ext3"),
    IMMUTABLE_OBJECT(3, "Archive"),
    RAW(4, "Raw"),
    ENCRYPTED_SQUASHFS(5, "Encrypted squashfs"),
    UNKNOWN(0, "Unknown");

    private final Coded coded;

    FsType(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static FsType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
