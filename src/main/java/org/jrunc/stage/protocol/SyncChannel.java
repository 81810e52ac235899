package org.jrunc.stage.protocol;

import java.nio.charset.StandardCharsets;
import org.jrunc.JruncException;
import org.jrunc.sys.Syscalls;

/**
 * The framed conversation between the runtime and its init over a socketpair: one type byte, a 4-byte big-endian
 * length, the payload. The init reports every failure as an ERROR frame, so the runtime can print it as one line.
 */
public final class SyncChannel implements AutoCloseable {
    /** Frame types. */
    public enum Type {
        /** init -> runtime, first: the init's pid as the host sees it. */
        HELLO,
        /** runtime -> init: the {@link InitPlan} (or the exec stage's {@link ExecPlan}), see {@link PlanCodec}. */
        PLAN,
        /** init -> runtime: mounts are done; run the prestart and createRuntime hooks now. */
        RUN_HOOKS,
        /** runtime -> init: the hooks succeeded. */
        HOOKS_DONE,
        /** init -> runtime: a warning to log. */
        WARN,
        /** init -> runtime: set-up is complete; the init now waits for `start`. */
        READY,
        /** either way: a fatal error, as one line. */
        ERROR,
        /** exec stage -> runtime, after READY: the pid of the process it cloned; end of file then means it runs. */
        STARTED
    }

    /** A received frame. */
    public record Frame(Type type, byte[] payload) {
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private static final int MAX_FRAME = 64 << 20;
    private final Syscalls sys;
    private final int fd;

    public SyncChannel(Syscalls sys, int fd) {
        this.sys = sys;
        this.fd = fd;
    }

    public int fd() {
        return fd;
    }

    public void send(Type type, byte[] payload) {
        byte[] frame = new byte[5 + payload.length];
        frame[0] = (byte) type.ordinal();
        frame[1] = (byte) (payload.length >>> 24);
        frame[2] = (byte) (payload.length >>> 16);
        frame[3] = (byte) (payload.length >>> 8);
        frame[4] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 5, payload.length);
        sys.writeAll(fd, frame, 0, frame.length);
    }

    public void send(Type type, String text) {
        send(type, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Reads one frame; null at end of stream (the peer exited or closed its end). */
    public Frame receive() {
        byte[] head = new byte[5];
        if (!readFully(head)) {
            return null;
        }
        int type = head[0] & 0xff;
        int len = ((head[1] & 0xff) << 24) | ((head[2] & 0xff) << 16) | ((head[3] & 0xff) << 8) | (head[4] & 0xff);
        if (type >= Type.values().length || len < 0 || len > MAX_FRAME) {
            throw new JruncException("sync channel: malformed frame (type " + type + ", length " + len + ")");
        }
        byte[] payload = new byte[len];
        if (!readFully(payload)) {
            return null;
        }
        return new Frame(Type.values()[type], payload);
    }

    private boolean readFully(byte[] buf) {
        int off = 0;
        while (off < buf.length) {
            int n = sys.read(fd, buf, off, buf.length - off);
            if (n == 0) {
                return false;
            }
            off += n;
        }
        return true;
    }

    /** Receives a frame of the given type; an ERROR frame or end of stream becomes an exception. */
    public Frame expect(Type type, String eofMessage) {
        Frame f = receive();
        if (f == null) {
            throw new JruncException(eofMessage);
        }
        if (f.type() == Type.ERROR) {
            throw new JruncException(f.text());
        }
        if (f.type() != type) {
            throw new JruncException("sync channel: expected " + type + ", got " + f.type());
        }
        return f;
    }

    /** Sends the init its plan. */
    public void sendPlan(InitPlan plan) {
        send(Type.PLAN, PlanCodec.encode(plan));
    }

    /** Sends the exec stage its plan. */
    public void sendPlan(ExecPlan plan) {
        send(Type.PLAN, PlanCodec.encode(plan));
    }

    @Override
    public void close() {
        sys.close(fd);
    }
}
