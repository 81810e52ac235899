package org.jrunc.sys;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * The loop driver's ioctl numbers and argument structures ({@code <linux/loop.h>}), encoded as the bytes the kernel
 * reads. Kept apart from {@link LoopDevices} so the layouts can be checked without a kernel.
 */
final class LoopAbi {
    private LoopAbi() {}

    static final long LOOP_SET_FD = 0x4C00;
    static final long LOOP_CLR_FD = 0x4C01;
    static final long LOOP_SET_STATUS64 = 0x4C04;
    /** Attach and configure in one call (Linux 5.8+); older kernels answer EINVAL. */
    static final long LOOP_CONFIGURE = 0x4C0A;

    static final long LOOP_CTL_GET_FREE = 0x4C82;

    static final int LO_FLAGS_READ_ONLY = 1;
    static final int LO_FLAGS_AUTOCLEAR = 4;

    /** struct loop_info64: 3 u64 ids, offset, sizelimit, 4 u32 (number, encrypt type, key size, flags), 2x64 names, key, init. */
    static final int LOOP_INFO64_SIZE = 232;

    static final int LO_OFFSET = 24;
    static final int LO_SIZELIMIT = 32;
    static final int LO_FLAGS = 52;
    static final int LO_FILE_NAME = 56;
    static final int LO_NAME_SIZE = 64;
    /** struct loop_config: u32 fd, u32 block_size, struct loop_info64, u64 reserved[8]. */
    static final int LOOP_CONFIG_SIZE = 304;

    static final int CONFIG_INFO = 8;

    static byte[] loopInfo64(long offset, long sizeLimit, int flags, String fileName) {
        ByteBuffer b = ByteBuffer.allocate(LOOP_INFO64_SIZE).order(ByteOrder.nativeOrder());
        putInfo(b, 0, offset, sizeLimit, flags, fileName);
        return b.array();
    }

    /** block_size 0 keeps the default 512-byte sectors, which any offset works with (no direct I/O). */
    static byte[] loopConfig(int backingFd, long offset, long sizeLimit, int flags, String fileName) {
        ByteBuffer b = ByteBuffer.allocate(LOOP_CONFIG_SIZE).order(ByteOrder.nativeOrder());
        b.putInt(0, backingFd);
        b.putInt(4, 0);
        putInfo(b, CONFIG_INFO, offset, sizeLimit, flags, fileName);
        return b.array();
    }

    private static void putInfo(ByteBuffer b, int at, long offset, long sizeLimit, int flags, String fileName) {
        b.putLong(at + LO_OFFSET, offset);
        b.putLong(at + LO_SIZELIMIT, sizeLimit);
        b.putInt(at + LO_FLAGS, flags);
        // informational only (losetup shows it); the kernel keeps its own reference to the file
        byte[] name = fileName.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(name.length, LO_NAME_SIZE - 1);
        b.put(at + LO_FILE_NAME, name, 0, n);
    }
}
