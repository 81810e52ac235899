package org.jrunc.sif;

import static org.jrunc.sif.SifFormat.*;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/** Converts 585-byte descriptor slots to and from {@link SifDescriptor}. */
final class DescriptorCodec {
    private DescriptorCodec() {}

    /**
     * Decodes slot {@code slot} from {@code table} at {@code at}; null when the slot is unused. Any non-zero Used
     * byte means "used", as Go's bool decoding does; unused slots are ignored whatever else they hold.
     */
    static SifDescriptor decode(byte[] table, int at, int slot, String file) {
        ByteBuffer b = ByteBuffer.wrap(table, at, DESCRIPTOR_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.get(D_USED) == 0) {
            return null;
        }
        long id = Integer.toUnsignedLong(b.getInt(D_ID));
        if (id < 1 || id > Integer.MAX_VALUE) {
            throw new SifException(file, "descriptor " + (slot + 1) + ": object ID " + id + " is out of range");
        }
        return new SifDescriptor.Builder()
                .slot(slot)
                .dataTypeCode(b.getInt(D_DATA_TYPE))
                .id((int) id)
                .groupRaw(b.getInt(D_GROUP))
                .linkRaw(b.getInt(D_LINK))
                .offset(b.getLong(D_OFFSET))
                .size(b.getLong(D_SIZE))
                .sizeWithPadding(b.getLong(D_SIZE_WITH_PADDING))
                .times(b.getLong(D_CREATED), b.getLong(D_MODIFIED))
                .owner(b.getLong(D_UID), b.getLong(D_GID))
                .rawName(Arrays.copyOfRange(table, at + D_NAME, at + D_NAME + NAME_SIZE))
                .rawExtra(Arrays.copyOfRange(table, at + D_EXTRA, at + D_EXTRA + EXTRA_SIZE))
                .build();
    }

    /** Writes {@code d} (or an all-zero unused slot when null) into {@code table} at {@code at}. */
    static void encode(SifDescriptor d, byte[] table, int at) {
        Arrays.fill(table, at, at + DESCRIPTOR_SIZE, (byte) 0);
        if (d == null) {
            return;
        }
        ByteBuffer b = ByteBuffer.wrap(table, at, DESCRIPTOR_SIZE).slice().order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(D_DATA_TYPE, d.dataTypeCode());
        b.put(D_USED, (byte) 1);
        b.putInt(D_ID, d.id());
        b.putInt(D_GROUP, d.groupRaw());
        b.putInt(D_LINK, d.linkRaw());
        b.putLong(D_OFFSET, d.offset());
        b.putLong(D_SIZE, d.size());
        b.putLong(D_SIZE_WITH_PADDING, d.sizeWithPadding());
        b.putLong(D_CREATED, d.createdAt());
        b.putLong(D_MODIFIED, d.modifiedAt());
        b.putLong(D_UID, d.uid());
        b.putLong(D_GID, d.gid());
        System.arraycopy(d.rawName(), 0, table, at + D_NAME, NAME_SIZE);
        System.arraycopy(d.rawExtra(), 0, table, at + D_EXTRA, EXTRA_SIZE);
    }
}
