package org.jrunc.sif;

/** Role of a partition object (Extra offset 4); PRIMARY_SYSTEM is the container root filesystem, shown as "*System". */
public enum PartitionType implements CodedEnum {
    SYSTEM(1, "System"),
    PRIMARY_SYSTEM(2, "*System"),
    DATA(3, "Data"),
    OVERLAY(4, "Overlay"),
    UNKNOWN(0, "Unknown");

    private final int code;
    private final String displayName;

    PartitionType(int code, String displayName) {
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

    public static PartitionType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
