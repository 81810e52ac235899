package org.jrunc.sys;

/**
 * A loop device this process attached, with the descriptor that keeps it attached. It is configured with
 * LO_FLAGS_AUTOCLEAR, so once a filesystem is mounted from it, {@link #close()} hands its lifetime to that mount: the
 * kernel detaches it when the last user (the mount) goes away. Closing it without a mount detaches it at once.
 */
public final class LoopDevice implements AutoCloseable {
    private final Syscalls sys;
    private final int number;
    private final String path;
    private int fd;

    LoopDevice(Syscalls sys, int number, String path, int fd) {
        this.sys = sys;
        this.number = number;
        this.path = path;
        this.fd = fd;
    }

    public int number() {
        return number;
    }

    /** The device node, e.g. /dev/loop3, to pass to mount(2). */
    public String path() {
        return path;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            sys.close(fd);
            fd = -1;
        }
    }
}
