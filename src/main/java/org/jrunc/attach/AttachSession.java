package org.jrunc.attach;

import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.sys.PollSet;
import org.jrunc.sys.Syscalls;
import org.jrunc.terminal.TerminalMode;

/**
 * `jrunc attach`'s relay, once connected to the monitor: the monitor's output frames to this process's stdout and
 * stderr, this process's stdin to the container. It ends with the container's exit status when the container exits,
 * or with 0 when the user detaches: ctrl-p ctrl-q on a terminal, or the end of stdin (which leaves the container's
 * stdin open unless {@code closeStdin}; then the session stays until the container exits).
 */
public final class AttachSession {
    private static final int STDIN = 0;
    private static final int STDOUT = 1;
    private static final int STDERR = 2;

    private final Syscalls sys;
    private final int socket;
    private final boolean closeStdin;
    private boolean stdinOpen;

    public AttachSession(Syscalls sys, int socket, boolean relayStdin, boolean closeStdin) {
        this.sys = sys;
        this.socket = socket;
        this.stdinOpen = relayStdin;
        this.closeStdin = closeStdin;
    }

    public int run() {
        boolean terminal = stdinOpen && sys.isatty(STDIN);
        TerminalMode raw = terminal ? TerminalMode.makeRaw(sys, STDIN) : null;
        try {
            sendWindowSize();
            if (terminal) {
                watchWindowSize();
            }
            return relay(terminal ? new DetachKeys() : null);
        } finally {
            if (raw != null) {
                raw.restore();
            }
        }
    }

    private int relay(DetachKeys keys) {
        byte[] buf = new byte[AttachFrame.MAX_PAYLOAD + 1];
        while (true) {
            PollSet set = new PollSet();
            int fromMonitor = set.add(socket, PollSet.POLLIN);
            int fromUser = stdinOpen ? set.add(STDIN, PollSet.POLLIN) : -1;
            set.poll(-1);
            if (set.readable(fromMonitor)) {
                AttachFrame f = AttachFrame.decode(buf, sys.read(socket, buf, 0, buf.length));
                if (f == null) {
                    throw new JruncException("the container's monitor went away (was the container deleted?)");
                }
                Integer status = show(f);
                if (status != null) {
                    return status;
                }
            }
            if (set.readable(fromUser) && readInput(buf, keys)) {
                return 0;
            }
        }
    }

    /** Writes output where it belongs; returns the exit status for an exit message, else null. */
    private Integer show(AttachFrame f) {
        switch (f.type()) {
            case AttachFrame.STDOUT:
                sys.writeAll(STDOUT, f.payload(), 0, f.payload().length);
                return null;
            case AttachFrame.STDERR:
                sys.writeAll(STDERR, f.payload(), 0, f.payload().length);
                return null;
            case AttachFrame.EXIT:
                if (f.exitStatus() == AttachFrame.UNKNOWN_STATUS) {
                    Log.warn("the container exited; its exit status is unknown (the monitor could not watch exits)");
                    return 1;
                }
                return f.exitStatus();
            default:
                return null;
        }
    }

    /** One read of stdin, sent on; true when the user detached. */
    private boolean readInput(byte[] buf, DetachKeys keys) {
        int n = sys.read(STDIN, buf, 0, AttachFrame.MAX_PAYLOAD);
        if (n == 0) {
            stdinOpen = false;
            if (!closeStdin) {
                return true;
            }
            send(AttachFrame.closeStdin());
            return false;
        }
        if (keys == null) {
            send(AttachFrame.encode(AttachFrame.STDIN, buf, 0, n));
            return false;
        }
        DetachKeys.Result r = keys.feed(buf, 0, n);
        if (r.forward().length > 0) {
            send(AttachFrame.encode(AttachFrame.STDIN, r.forward(), 0, r.forward().length));
        }
        return r.detach();
    }

    /** The size of the terminal attach runs in, for the container's pty (the monitor ignores it for pipes). */
    private void sendWindowSize() {
        int[] size = TerminalMode.ownWindowSize(sys);
        if (size != null && size[0] > 0 && size[1] > 0) {
            send(AttachFrame.resize(size[0], size[1]));
        }
    }

    /** SIGWINCH: the terminal was resized while attached. A seqpacket write is atomic, so any thread may send. */
    private void watchWindowSize() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> sendWindowSize());
        } catch (IllegalArgumentException e) {
            // the JVM reserves it here; the size set at attach stays
        }
    }

    private void send(byte[] frame) {
        sys.write(socket, frame, 0, frame.length);
    }
}
