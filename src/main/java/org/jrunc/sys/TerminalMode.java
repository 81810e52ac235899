package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * The terminal `jrunc attach` runs in: raw mode while attached (every key, ctrl-c included, goes to the container's
 * pty, and the detach keys can be seen), restored afterwards, and its window size.
 */
public final class TerminalMode {
    private static final int TCSANOW = 0;
    /** struct termios is 60 bytes in glibc; room to spare. */
    private static final int TERMIOS_BYTES = 128;

    private final int fd;
    private final Memory saved;

    private TerminalMode(int fd, Memory saved) {
        this.fd = fd;
        this.saved = saved;
    }

    public static boolean isTerminal(int fd) {
        return LibC.isatty(fd) == 1;
    }

    /** Puts {@code fd}'s terminal into raw mode; {@link #restore} puts back what it was. */
    public static TerminalMode makeRaw(int fd) {
        Memory saved = new Memory(TERMIOS_BYTES);
        saved.clear();
        if (LibC.tcgetattr(fd, saved) != 0) {
            throw new SyscallException("tcgetattr", "fd " + fd, com.sun.jna.Native.getLastError());
        }
        Memory raw = new Memory(TERMIOS_BYTES);
        raw.write(0, saved.getByteArray(0, TERMIOS_BYTES), 0, TERMIOS_BYTES);
        LibC.cfmakeraw(raw);
        if (LibC.tcsetattr(fd, TCSANOW, raw) != 0) {
            throw new SyscallException("tcsetattr", "fd " + fd, com.sun.jna.Native.getLastError());
        }
        return new TerminalMode(fd, saved);
    }

    public void restore() {
        LibC.tcsetattr(fd, TCSANOW, saved);
    }

    /** {rows, cols} of the terminal this process runs in: its stdin's, else its stdout's; null without one. */
    public static int[] ownWindowSize() {
        int[] size = windowSize(0);
        return size != null ? size : windowSize(1);
    }

    /** {rows, cols} of the terminal on {@code fd}, or null when it is not a terminal. */
    public static int[] windowSize(int fd) {
        Memory ws = new Memory(8);
        ws.clear();
        if (LibC.ioctl(fd, Tty.TIOCGWINSZ, Pointer.nativeValue(ws)) != 0) {
            return null;
        }
        return new int[] {ws.getShort(0) & 0xffff, ws.getShort(2) & 0xffff};
    }
}
