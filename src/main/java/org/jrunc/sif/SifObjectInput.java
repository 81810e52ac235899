package org.jrunc.sif;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An object to add with {@link SifWriter#add}: its data type and bytes, plus optional name, group, link,
 * alignment, type-specific metadata and time. Defaults follow sylabs' sif: group 1, no link, 4096-byte alignment for
 * partitions and none for everything else, the writer's clock for times; OCI digests are computed while writing.
 */
public final class SifObjectInput {
    /** Opens the data each time the writer needs it (once per add). */
    @FunctionalInterface
    public interface DataSource {
        InputStream open() throws IOException;
    }

    private final SifDataType type;
    private final DataSource data;
    private final String source;
    private String name = "";
    private int groupId = 1;
    private SifLink link = SifLink.NONE;
    private Integer alignment;
    private SifExtra extra;
    private Instant time;

    private SifObjectInput(SifDataType type, DataSource data, String source) {
        if (type == SifDataType.UNKNOWN) {
            throw new IllegalArgumentException("cannot write an object of unknown data type");
        }
        this.type = type;
        this.data = data;
        this.source = source;
    }

    public static SifObjectInput of(SifDataType type, byte[] bytes) {
        byte[] copy = bytes.clone();
        return new SifObjectInput(type, () -> new ByteArrayInputStream(copy), "memory");
    }

    public static SifObjectInput of(SifDataType type, Path file) {
        return new SifObjectInput(type, () -> Files.newInputStream(file), file.toString());
    }

    /** {@code sourceName} says where the data comes from in error messages (e.g. a path or "stdin"). */
    public static SifObjectInput of(SifDataType type, DataSource data, String sourceName) {
        return new SifObjectInput(type, data, sourceName);
    }

    /** A partition with its metadata; a PRIMARY_SYSTEM one also sets the header's architecture. */
    public static SifObjectInput partition(Path file, FsType fsType, PartitionType partitionType, SifArch arch) {
        return of(SifDataType.PARTITION, file).extra(SifExtra.Partition.of(fsType, partitionType, arch));
    }

    /** The name, at most 128 bytes of UTF-8 (e.g. "oci-config.json"). */
    public SifObjectInput name(String value) {
        if (value.getBytes(StandardCharsets.UTF_8).length > SifFormat.NAME_SIZE) {
            throw new IllegalArgumentException("object name longer than " + SifFormat.NAME_SIZE + " bytes");
        }
        name = value;
        return this;
    }

    /** Group 1.. 0x0fffffff; objects are in group 1 unless told otherwise. */
    public SifObjectInput group(int id) {
        if (id < 1 || id > SifFormat.MAX_GROUP_ID) {
            throw new IllegalArgumentException("group ID must be 1.." + SifFormat.MAX_GROUP_ID);
        }
        groupId = id;
        return this;
    }

    /** In no group (signatures, and {@code siftool add} without --groupid). */
    public SifObjectInput noGroup() {
        groupId = 0;
        return this;
    }

    public SifObjectInput link(SifLink value) {
        link = value;
        return this;
    }

    /** Alignment of the data offset in bytes; 0 or 1 means none. */
    public SifObjectInput alignment(int bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative alignment");
        }
        alignment = bytes;
        return this;
    }

    /**
     * Type-specific metadata; must be the kind the data type takes (partition data for PARTITION and so on). OCI
     * digests cannot be given: the writer records the digest of the bytes it actually wrote.
     */
    public SifObjectInput extra(SifExtra value) {
        if (value instanceof SifExtra.OciBlobDigest) {
            throw new IllegalArgumentException("OCI digests are computed by the writer");
        }
        if (!ExtraCodec.kindFor(type).isInstance(value)) {
            throw new IllegalArgumentException(
                    value.getClass().getSimpleName() + " metadata does not fit a " + type.displayName() + " object");
        }
        if (value instanceof SifExtra.Partition p
                && (p.fsType() == FsType.UNKNOWN
                        || p.partitionType() == PartitionType.UNKNOWN
                        || p.arch() == SifArch.UNKNOWN)) {
            throw new IllegalArgumentException("partition metadata needs a known filesystem, type and architecture");
        }
        extra = value;
        return this;
    }

    /** The object's created/modified time instead of the writer's clock. */
    public SifObjectInput time(Instant value) {
        time = value;
        return this;
    }

    SifDataType type() {
        return type;
    }

    DataSource data() {
        return data;
    }

    String source() {
        return source;
    }

    String name() {
        return name;
    }

    int groupId() {
        return groupId;
    }

    SifLink link() {
        return link;
    }

    int effectiveAlignment() {
        if (alignment != null) {
            return alignment;
        }
        return type == SifDataType.PARTITION ? SifFormat.PARTITION_ALIGNMENT : 0;
    }

    /** Null when none was given (then the Extra field is zero, or the OCI digest). */
    SifExtra extra() {
        return extra;
    }

    /** Null when the writer's clock applies. */
    Instant time() {
        return time;
    }
}
