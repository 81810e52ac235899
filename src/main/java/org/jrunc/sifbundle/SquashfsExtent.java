package org.jrunc.sifbundle;

import org.jrunc.JruncException;

/**
 * A squashfs filesystem stored inside the image file: the primary partition of a native SIF, or one layer blob of an
 * OCI-SIF (whose offsets are not aligned). {@code what} names it in messages, e.g. "object 4 (primary partition)".
 */
record SquashfsExtent(long offset, long size, String what) {
    /** squashfs reads its device in 1 KiB blocks (SQUASHFS_DEVBLK_SIZE), the block layer in 512-byte sectors. */
    static final int SQUASHFS_DEVICE_BLOCK = 1024;

    /**
     * The loop device's size limit for this extent in an image of {@code fileSize} bytes. A loop device is a whole
     * number of sectors, and squashfs must be able to read the 1 KiB block holding its last byte, so the limit is
     * the size rounded up to 1 KiB; the bytes after the extent (the next object, or padding) are read but unused.
     * When the file ends before that boundary the tail cannot be reached through a loop device.
     */
    long loopSizeLimit(String image, long fileSize) {
        long wanted = roundUp(size, SQUASHFS_DEVICE_BLOCK);
        if (offset + wanted > fileSize) {
            throw new JruncException(Shown.of(image) + ": " + what + " (" + size + " bytes at offset " + offset
                    + ") is not followed by enough bytes to fill its last 1 KiB block, which a loop device needs to"
                    + " expose it to squashfs; mount it with --squashfuse");
        }
        return wanted;
    }

    static long roundUp(long value, long multiple) {
        return (value + multiple - 1) / multiple * multiple;
    }
}
