package org.jrunc.sys;

/** Terminal ioctl request numbers (asm-generic/ioctls.h; the same on x86_64 and aarch64). */
public final class Tty {
    public static final long TIOCSCTTY = 0x540E;
    public static final long TIOCGWINSZ = 0x5413;
    public static final long TIOCSWINSZ = 0x5414;
    public static final long TIOCGPTN = 0x80045430L;
    public static final long TIOCSPTLCK = 0x40045431L;
    /** Opens the peer (slave) of a pty master by descriptor, immune to /dev/pts path tricks. */
    public static final long TIOCGPTPEER = 0x5441;

    private Tty() {}

    /** struct winsize { rows, cols, xpixel, ypixel } as little-endian shorts. */
    public static byte[] winsize(int rows, int cols) {
        return new byte[] {(byte) rows, (byte) (rows >> 8), (byte) cols, (byte) (cols >> 8), 0, 0, 0, 0};
    }
}
