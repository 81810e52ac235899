package org.jrunc.sif;

import static org.jrunc.sif.SifFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.UUID;

/** Converts the 128-byte header to and from {@link SifHeader}; checks only what makes a file a SIF at all. */
final class HeaderCodec {
    private HeaderCodec() {}

    static SifHeader decode(byte[] raw, String file) {
        if (!Arrays.equals(raw, MAGIC_OFFSET, MAGIC_OFFSET + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new SifException(file, "not a SIF image (no SIF_MAGIC at offset " + MAGIC_OFFSET + ")");
        }
        if (!Arrays.equals(raw, VERSION_OFFSET, VERSION_OFFSET + VERSION.length, VERSION, 0, VERSION.length)) {
            String found = FixedText.upToFirstNul(raw, VERSION_OFFSET, VERSION.length);
            throw new SifException(
                    file, "unsupported SIF version \"" + FixedText.printable(found) + "\" (only 01 is supported)");
        }
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer uuid = ByteBuffer.wrap(raw, UUID_OFFSET, 16).order(ByteOrder.BIG_ENDIAN);
        return new SifHeader(
                FixedText.trailingNulsTrimmed(raw, 0, LAUNCH_SCRIPT_SIZE),
                FixedText.trailingNulsTrimmed(raw, ARCH_OFFSET, ARCH_SIZE),
                new UUID(uuid.getLong(), uuid.getLong()),
                b.getLong(CREATED_OFFSET),
                b.getLong(MODIFIED_OFFSET),
                b.getLong(DESCRIPTORS_FREE_OFFSET),
                b.getLong(DESCRIPTORS_TOTAL_OFFSET),
                b.getLong(DESCRIPTORS_OFFSET_OFFSET),
                b.getLong(DESCRIPTORS_SIZE_OFFSET),
                b.getLong(DATA_OFFSET_OFFSET),
                b.getLong(DATA_SIZE_OFFSET));
    }

    static byte[] encode(SifHeader h) {
        byte[] raw = new byte[HEADER_SIZE];
        FixedText.put(raw, 0, LAUNCH_SCRIPT_SIZE, h.launchScript());
        System.arraycopy(MAGIC, 0, raw, MAGIC_OFFSET, MAGIC.length);
        System.arraycopy(VERSION, 0, raw, VERSION_OFFSET, VERSION.length);
        FixedText.put(raw, ARCH_OFFSET, ARCH_SIZE, h.archCode());
        ByteBuffer uuid = ByteBuffer.wrap(raw, UUID_OFFSET, 16).order(ByteOrder.BIG_ENDIAN);
        uuid.putLong(h.id().getMostSignificantBits()).putLong(h.id().getLeastSignificantBits());
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(CREATED_OFFSET, h.createdAt());
        b.putLong(MODIFIED_OFFSET, h.modifiedAt());
        b.putLong(DESCRIPTORS_FREE_OFFSET, h.descriptorsFree());
        b.putLong(DESCRIPTORS_TOTAL_OFFSET, h.descriptorsTotal());
        b.putLong(DESCRIPTORS_OFFSET_OFFSET, h.descriptorsOffset());
        b.putLong(DESCRIPTORS_SIZE_OFFSET, h.descriptorsSize());
        b.putLong(DATA_OFFSET_OFFSET, h.dataOffset());
        b.putLong(DATA_SIZE_OFFSET, h.dataSize());
        return raw;
    }
}
