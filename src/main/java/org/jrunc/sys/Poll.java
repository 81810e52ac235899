package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;

/** poll(2) on one descriptor. */
public final class Poll {
    private static final short POLLIN = 0x1;

    private Poll() {
    }

    /** True when {@code fd} is readable (data or end of file) within {@code timeoutMillis}; -1 waits forever. */
    public static boolean readable(int fd, int timeoutMillis) {
        Memory pfd = new Memory(8);
        pfd.setInt(0, fd);
        pfd.setShort(4, POLLIN);
        pfd.setShort(6, (short) 0);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (true) {
            int wait = timeoutMillis < 0 ? -1 : (int) Math.max(0, (deadline - System.nanoTime()) / 1_000_000L);
            int r = LibC.poll(Pointer.nativeValue(pfd), 1, wait);
            if (r > 0) {
                return true;
            }
            if (r == 0) {
                return false;
            }
            if (Native.getLastError() != Errno.EINTR) {
                throw new SyscallException("poll", "fd " + fd, Native.getLastError());
            }
        }
    }
}
