package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.util.Arrays;

/** poll(2) on several descriptors at once, for the event loops of the monitor and of `jrunc attach`. */
public final class PollSet {
    public static final short POLLIN = 0x1;
    public static final short POLLOUT = 0x4;
    public static final short POLLERR = 0x8;
    public static final short POLLHUP = 0x10;
    public static final short POLLNVAL = 0x20;

    private int[] fds = new int[16];
    private short[] events = new short[16];
    private short[] revents = new short[16];
    private int count;

    /** Empties the set, to be filled again for the next poll. */
    public void clear() {
        count = 0;
    }

    /** Adds {@code fd}; returns its index for {@link #revents}. Hang-up and errors are reported whatever is asked. */
    public int add(int fd, short wanted) {
        if (count == fds.length) {
            fds = Arrays.copyOf(fds, count * 2);
            events = Arrays.copyOf(events, count * 2);
            revents = Arrays.copyOf(revents, count * 2);
        }
        fds[count] = fd;
        events[count] = wanted;
        revents[count] = 0;
        return count++;
    }

    /** Waits up to {@code timeoutMillis} (-1: forever); returns how many descriptors are ready, 0 on timeout or EINTR. */
    public int poll(int timeoutMillis) {
        Memory pfds = new Memory(Math.max(8, 8L * count));
        for (int i = 0; i < count; i++) {
            pfds.setInt(8L * i, fds[i]);
            pfds.setShort(8L * i + 4, events[i]);
            pfds.setShort(8L * i + 6, (short) 0);
        }
        int r = LibC.poll(Pointer.nativeValue(pfds), count, timeoutMillis);
        if (r < 0) {
            if (Native.getLastError() == Errno.EINTR) {
                return 0;
            }
            throw new SyscallException("poll", count + " fds", Native.getLastError());
        }
        for (int i = 0; i < count; i++) {
            revents[i] = pfds.getShort(8L * i + 6);
        }
        return r;
    }

    public short revents(int index) {
        return index < 0 ? 0 : revents[index];
    }

    /** Data, end of file, hang-up or an error: a read will not block. */
    public boolean readable(int index) {
        return (revents(index) & (POLLIN | POLLHUP | POLLERR | POLLNVAL)) != 0;
    }
}
