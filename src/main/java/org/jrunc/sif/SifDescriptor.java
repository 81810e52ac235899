package org.jrunc.sif;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;

/**
 * One used descriptor slot: an object's type, ID, group, link, position in the file and metadata. Immutable. The raw
 * Name and Extra bytes are kept so that rewriting the table reproduces them exactly.
 */
public final class SifDescriptor {
    private final int slot;
    private final int dataTypeCode;
    private final int id;
    private final int groupRaw;
    private final int linkRaw;
    private final long offset;
    private final long size;
    private final long sizeWithPadding;
    private final long createdAt;
    private final long modifiedAt;
    private final long uid;
    private final long gid;
    private final byte[] rawName;
    private final byte[] rawExtra;
    private final SifExtra extra;

    private SifDescriptor(Builder b) {
        this.slot = b.slot;
        this.dataTypeCode = b.dataTypeCode;
        this.id = b.id;
        this.groupRaw = b.groupRaw;
        this.linkRaw = b.linkRaw;
        this.offset = b.offset;
        this.size = b.size;
        this.sizeWithPadding = b.sizeWithPadding;
        this.createdAt = b.createdAt;
        this.modifiedAt = b.modifiedAt;
        this.uid = b.uid;
        this.gid = b.gid;
        this.rawName = b.rawName.clone();
        this.rawExtra = b.rawExtra.clone();
        this.extra = ExtraCodec.decode(dataType(), rawExtra);
    }

    /** Object ID; every known writer uses slot index + 1. */
    public int id() {
        return id;
    }

    public SifDataType dataType() {
        return SifDataType.fromCode(dataTypeCode);
    }

    /** The stored code, meaningful when {@link #dataType()} is UNKNOWN. */
    public int dataTypeCode() {
        return dataTypeCode;
    }

    /** Group ID with the 0xf0000000 mask removed; 0 means the object is in no group. */
    public int groupId() {
        return groupRaw & SifFormat.MAX_GROUP_ID;
    }

    public SifLink link() {
        return SifLink.fromRaw(linkRaw);
    }

    /** Absolute file offset of the data. */
    public long offset() {
        return offset;
    }

    public long size() {
        return size;
    }

    /** Alignment padding written before the object plus its size; informational only. */
    public long sizeWithPadding() {
        return sizeWithPadding;
    }

    /** Offset just past the data (offset + size; validated not to overflow). */
    public long end() {
        return offset + size;
    }

    public long createdAt() {
        return createdAt;
    }

    public long modifiedAt() {
        return modifiedAt;
    }

    public Optional<Instant> created() {
        return SifClock.instant(createdAt);
    }

    public Optional<Instant> modified() {
        return SifClock.instant(modifiedAt);
    }

    /** Deprecated fields, written 0 by current tools; old Singularity builds stored the builder's IDs. */
    public long uid() {
        return uid;
    }

    public long gid() {
        return gid;
    }

    /** The Name field (UTF-8, trailing NULs removed), e.g. "oci-config.json"; empty when unnamed. */
    public String name() {
        int end = rawName.length;
        while (end > 0 && rawName[end - 1] == 0) {
            end--;
        }
        return new String(rawName, 0, end, StandardCharsets.UTF_8);
    }

    public SifExtra extra() {
        return extra;
    }

    public Optional<SifExtra.Partition> partition() {
        return extra instanceof SifExtra.Partition p ? Optional.of(p) : Optional.empty();
    }

    /** The digest text an OCI blob or root index records for its data, if this is one. */
    public Optional<String> ociDigest() {
        return extra instanceof SifExtra.OciBlobDigest d ? Optional.of(d.digest()) : Optional.empty();
    }

    public boolean isPrimaryPartition() {
        return partition()
                .map(p -> p.partitionType() == PartitionType.PRIMARY_SYSTEM)
                .orElse(false);
    }

    int slot() {
        return slot;
    }

    int groupRaw() {
        return groupRaw;
    }

    int linkRaw() {
        return linkRaw;
    }

    byte[] rawName() {
        return rawName.clone();
    }

    byte[] rawExtra() {
        return rawExtra.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SifDescriptor d
                && d.slot == slot
                && d.dataTypeCode == dataTypeCode
                && d.id == id
                && d.groupRaw == groupRaw
                && d.linkRaw == linkRaw
                && d.offset == offset
                && d.size == size
                && d.sizeWithPadding == sizeWithPadding
                && d.createdAt == createdAt
                && d.modifiedAt == modifiedAt
                && d.uid == uid
                && d.gid == gid
                && Arrays.equals(d.rawName, rawName)
                && Arrays.equals(d.rawExtra, rawExtra);
    }

    @Override
    public int hashCode() {
        return (((id * 31 + dataTypeCode) * 31 + Long.hashCode(offset)) * 31 + Long.hashCode(size)) * 31
                + Arrays.hashCode(rawExtra);
    }

    @Override
    public String toString() {
        return "SifDescriptor[id=" + id + ", type=" + dataType().displayName() + ", group=" + groupId() + ", link="
                + link() + ", offset=" + offset + ", size=" + size + ", name=" + name() + ", extra=" + extra + "]";
    }

    /** Used by the codec and the writer; everything is checked by the caller. */
    static final class Builder {
        private int slot;
        private int dataTypeCode;
        private int id;
        private int groupRaw = SifFormat.GROUP_MASK;
        private int linkRaw;
        private long offset;
        private long size;
        private long sizeWithPadding;
        private long createdAt = SifClock.UNSET;
        private long modifiedAt = SifClock.UNSET;
        private long uid;
        private long gid;
        private byte[] rawName = new byte[SifFormat.NAME_SIZE];
        private byte[] rawExtra = new byte[SifFormat.EXTRA_SIZE];

        Builder slot(int v) {
            slot = v;
            return this;
        }

        Builder dataTypeCode(int v) {
            dataTypeCode = v;
            return this;
        }

        Builder id(int v) {
            id = v;
            return this;
        }

        Builder groupRaw(int v) {
            groupRaw = v;
            return this;
        }

        Builder linkRaw(int v) {
            linkRaw = v;
            return this;
        }

        Builder offset(long v) {
            offset = v;
            return this;
        }

        Builder size(long v) {
            size = v;
            return this;
        }

        Builder sizeWithPadding(long v) {
            sizeWithPadding = v;
            return this;
        }

        Builder times(long created, long modified) {
            createdAt = created;
            modifiedAt = modified;
            return this;
        }

        Builder owner(long u, long g) {
            uid = u;
            gid = g;
            return this;
        }

        Builder rawName(byte[] v) {
            rawName = Arrays.copyOf(v, SifFormat.NAME_SIZE);
            return this;
        }

        Builder rawExtra(byte[] v) {
            rawExtra = Arrays.copyOf(v, SifFormat.EXTRA_SIZE);
            return this;
        }

        SifDescriptor build() {
            return new SifDescriptor(this);
        }
    }
}
