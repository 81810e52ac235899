package org.jrunc.sif;

/** Role of a partition object (Extra offset 4); PRIMARY_SYSTEM is the container root filesystem, shown as "*System". */
public enum PartitionType implements CodedEnum {
    SYSTEM(1, "System"),
    PRIMARY_SYSTEM(2, "*System"),
    DATA(3, "Data"),
    OVERLAY(4, "Overlay"),
    UNKNOWN(0, "Unknown");

    private final Coded coded;

    PartitionType(int code, String displayName) {
        this.coded = new Coded(code, displayName);
    }

    @Override
    public Coded coded() {
        return coded;
    }

    public static PartitionType fromCode(int code) {
        return CodedEnum.fromCode(values(), code, UNKNOWN);
    }
}
