package org.jrunc.sif;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * The 128-byte global header. Times are Unix seconds ({@link SifClock#UNSET} when unset); the launch script is the
 * raw field with trailing NULs removed (one char per byte). The version is always "01": nothing else is accepted.
 */
public record SifHeader(
        String launchScript,
        String archCode,
        UUID id,
        long createdAt,
        long modifiedAt,
        long descriptorsFree,
        long descriptorsTotal,
        long descriptorsOffset,
        long descriptorsSize,
        long dataOffset,
        long dataSize) {

    public static final UUID NIL_ID = new UUID(0, 0);

    public String version() {
        return "01";
    }

    /** The primary architecture; UNKNOWN when the image has no primary partition. */
    public SifArch arch() {
        return SifArch.fromCode(archCode);
    }

    public Optional<Instant> created() {
        return SifClock.instant(createdAt);
    }

    public Optional<Instant> modified() {
        return SifClock.instant(modifiedAt);
    }

    /** As Go's sif decides it: nil ID and no times. Updates to such an image keep its times unset. */
    public boolean isDeterministic() {
        return NIL_ID.equals(id) && createdAt == SifClock.UNSET && modifiedAt == SifClock.UNSET;
    }

    public long descriptorsUsed() {
        return descriptorsTotal - descriptorsFree;
    }

    SifHeader withDescriptorsFree(long free) {
        return new SifHeader(
                launchScript,
                archCode,
                id,
                createdAt,
                modifiedAt,
                free,
                descriptorsTotal,
                descriptorsOffset,
                descriptorsSize,
                dataOffset,
                dataSize);
    }

    SifHeader withDataSize(long size) {
        return new SifHeader(
                launchScript,
                archCode,
                id,
                createdAt,
                modifiedAt,
                descriptorsFree,
                descriptorsTotal,
                descriptorsOffset,
                descriptorsSize,
                dataOffset,
                size);
    }

    SifHeader withArch(SifArch arch) {
        return new SifHeader(
                launchScript,
                arch.code(),
                id,
                createdAt,
                modifiedAt,
                descriptorsFree,
                descriptorsTotal,
                descriptorsOffset,
                descriptorsSize,
                dataOffset,
                dataSize);
    }

    SifHeader withModifiedAt(long seconds) {
        return new SifHeader(
                launchScript,
                archCode,
                id,
                createdAt,
                seconds,
                descriptorsFree,
                descriptorsTotal,
                descriptorsOffset,
                descriptorsSize,
                dataOffset,
                dataSize);
    }
}
