package org.jrunc.terminal;

import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.Tty;

/**
 * The terminal `jrunc attach` and a foreground `run`/`exec -t` run in: raw mode while attached (every key, ctrl-c
 * included, goes to the container's pty, and the detach keys can be seen), restored afterwards, and its window size.
 */
public final class TerminalMode {
    private final Syscalls sys;
    private final int fd;
    private final byte[] saved;

    private TerminalMode(Syscalls sys, int fd, byte[] saved) {
        this.sys = sys;
        this.fd = fd;
        this.saved = saved;
    }

    /** Puts {@code fd}'s terminal into raw mode; {@link #restore} puts back what it was. */
    public static TerminalMode makeRaw(Syscalls sys, int fd) {
        byte[] saved = sys.tcgetattr(fd);
        sys.tcsetattr(fd, sys.cfmakeraw(saved));
        return new TerminalMode(sys, fd, saved);
    }

    /** Best effort: the process is on its way out when this runs. */
    public void restore() {
        try {
            sys.tcsetattr(fd, saved);
        } catch (SyscallException e) {
            // the terminal is gone
        }
    }

    /** {rows, cols} of the terminal this process runs in: its stdin's, else its stdout's; null without one. */
    public static int[] ownWindowSize(Syscalls sys) {
        int[] size = windowSize(sys, 0);
        return size != null ? size : windowSize(sys, 1);
    }

    /** {rows, cols} of the terminal on {@code fd}, or null when it is not a terminal. */
    public static int[] windowSize(Syscalls sys, int fd) {
        byte[] ws = new byte[8];
        try {
            sys.ioctlBuffer(fd, Tty.TIOCGWINSZ, ws);
        } catch (SyscallException e) {
            return null;
        }
        return new int[] {(ws[0] & 0xff) | (ws[1] & 0xff) << 8, (ws[2] & 0xff) | (ws[3] & 0xff) << 8};
    }
}
