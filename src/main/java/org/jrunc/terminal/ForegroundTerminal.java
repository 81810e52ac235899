package org.jrunc.terminal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.Tty;

/**
 * runc's foreground terminal: `run` or `exec` with process.terminal, without --console-socket and without --detach,
 * takes the pty master itself (on a console socket of its own, in a private temporary directory) and relays it to its
 * own stdio: its stdin, in raw mode when it is a terminal, to the pty, and the pty's output to its stdout. Its window
 * size goes to the pty at the start and on every SIGWINCH. The relay ends with the process, once the pty has no other
 * holder or after a short grace period.
 */
public final class ForegroundTerminal implements AutoCloseable {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    /** How long the output may still drain after the process has exited (a background holder may keep the pty). */
    private static final long DRAIN_MILLIS = 2000;

    private final Syscalls sys;
    private final Path dir;
    private final Path socket;
    private int listener;
    private int master = -1;
    private TerminalMode raw;
    private Thread output;

    private ForegroundTerminal(Syscalls sys, Path dir, int listener) {
        this.sys = sys;
        this.dir = dir;
        this.socket = dir.resolve("console.sock");
        this.listener = listener;
    }

    /** Whether `run`/`exec` must proxy the terminal: runc does exactly when it neither detaches nor has a socket. */
    public static boolean needed(boolean terminal, String consoleSocket, boolean detach) {
        return terminal && !detach && (consoleSocket == null || consoleSocket.isEmpty());
    }

    public static ForegroundTerminal listen(Syscalls sys) {
        Path dir;
        try {
            // createTempDirectory makes it 0700: no other user can connect and hand us a pty of theirs
            dir = Files.createTempDirectory("jrunc-tty");
        } catch (IOException e) {
            throw new JruncException("cannot create a console socket for the terminal: " + e.getMessage());
        }
        try {
            return new ForegroundTerminal(
                    sys, dir, sys.listenUnix(dir.resolve("console.sock").toString()));
        } catch (RuntimeException e) {
            deleteQuietly(dir);
            throw e;
        }
    }

    /** The --console-socket to hand to create or exec. */
    public String socketPath() {
        return socket.toString();
    }

    /**
     * Takes the pty master, which the init or exec stage sent before create or exec returned (the connection and its
     * message wait in the socket's backlog), and starts relaying.
     */
    public void start() {
        int conn = sys.accept(listener);
        int[] fds;
        try {
            fds = sys.recvFds(conn, new byte[4096], new int[1], 4);
        } finally {
            sys.close(conn);
            closeListener();
            // nothing connects any more: gone now, a run killed while its container runs leaves nothing in /tmp
            deleteQuietly(dir);
        }
        if (fds.length == 0) {
            throw new JruncException("the container process sent no terminal");
        }
        master = fds[0];
        for (int i = 1; i < fds.length; i++) {
            sys.close(fds[i]);
        }
        if (sys.isatty(STDIN)) {
            raw = TerminalMode.makeRaw(sys, STDIN);
        }
        resize();
        output = daemon("jrunc-tty-out", () -> copy(master, STDOUT));
        daemon("jrunc-tty-in", () -> copy(STDIN, master));
    }

    /** Gives the pty this process's window size (SIGWINCH then reaches the container's foreground group). */
    public void resize() {
        int[] size = TerminalMode.ownWindowSize(sys);
        if (size != null && master >= 0) {
            try {
                sys.ioctlBuffer(master, Tty.TIOCSWINSZ, Tty.winsize(size[0], size[1]));
            } catch (SyscallException e) {
                // the pty is gone: the process is exiting
            }
        }
    }

    /** After the process exited: lets its last output through, then restores the terminal. */
    @Override
    public void close() {
        if (output != null) {
            try {
                output.join(DRAIN_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (raw != null) {
            raw.restore();
        }
        closeListener();
        deleteQuietly(dir);
    }

    /** Copies until end of file or an error (EIO on the master once no process has the pty open). */
    private void copy(int from, int to) {
        byte[] buf = new byte[8192];
        try {
            int n;
            while ((n = sys.read(from, buf, 0, buf.length)) > 0) {
                sys.writeAll(to, buf, 0, n);
            }
        } catch (SyscallException e) {
            // the other side is gone
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    private void closeListener() {
        if (listener >= 0) {
            sys.close(listener);
            listener = -1;
        }
    }

    private static void deleteQuietly(Path dir) {
        try {
            Files.deleteIfExists(dir.resolve("console.sock"));
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            Log.warn("cannot remove " + dir + ": " + e.getMessage());
        }
    }
}
