package org.jrunc.sys;

import com.sun.jna.Native;

/**
 * pidfd_open(2): a descriptor that polls readable once a process has exited. It works for any process, not only
 * children, which is what a monitor that never is the container init's parent needs.
 */
public final class Pidfd {
    private Pidfd() {}

    /** A pidfd (always close-on-exec) for {@code pid}. */
    public static int open(int pid) {
        long fd = LibC.syscall(SyscallNumbers.PIDFD_OPEN, pid, 0, 0, 0, 0, 0);
        if (fd < 0) {
            throw new SyscallException("pidfd_open", "pid " + pid, Native.getLastError());
        }
        return (int) fd;
    }
}
