package org.jrunc.terminal;

import static org.jrunc.sys.Flags.O_CLOEXEC;
import static org.jrunc.sys.Flags.O_NOCTTY;
import static org.jrunc.sys.Flags.O_RDWR;

import java.nio.charset.StandardCharsets;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.Tty;

/**
 * A pty made from an open ptmx: unlocked, sized, and its peer opened through the master (TIOCGPTPEER), so no path in
 * a devpts the container controls is looked up. Used by the container init and by the exec stage.
 */
public record Pty(int peer, String name) {

    /** Makes the pty of {@code master}, sends the master to {@code consoleSocket} as runc does, closes both. */
    public static Pty openAndSend(Syscalls sys, int master, int consoleSocket, int rows, int cols) {
        try {
            sys.ioctlBuffer(master, Tty.TIOCSPTLCK, new byte[4]);
            byte[] n = new byte[4];
            sys.ioctlBuffer(master, Tty.TIOCGPTN, n);
            int number = (n[0] & 0xff) | ((n[1] & 0xff) << 8) | ((n[2] & 0xff) << 16) | ((n[3] & 0xff) << 24);
            if (rows > 0 || cols > 0) {
                sys.ioctlBuffer(master, Tty.TIOCSWINSZ, Tty.winsize(rows, cols));
            }
            int peer = sys.ioctl(master, Tty.TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC);
            String name = "/dev/pts/" + number;
            // the console-socket protocol: the pty's name as the message, the master by SCM_RIGHTS
            sys.sendFds(consoleSocket, name.getBytes(StandardCharsets.UTF_8), master);
            return new Pty(peer, name);
        } finally {
            sys.close(master);
            sys.close(consoleSocket);
        }
    }
}
