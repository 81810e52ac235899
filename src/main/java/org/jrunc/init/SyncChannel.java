package org.jrunc.init;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
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
        /** runtime -> init: the serialized {@link InitPlan}. */
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
        ERROR
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
        int off = 0;
        while (off < frame.length) {
            off += sys.write(fd, frame, off, frame.length - off);
        }
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

    /** Sends a plan: the init's {@link InitPlan} or the exec stage's {@link ExecPlan}. */
    public void sendPlan(Serializable plan) {
        send(Type.PLAN, encodePlan(plan));
    }

    public static byte[] encodePlan(Serializable plan) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(plan);
        } catch (IOException e) {
            throw new IllegalStateException("cannot serialize " + plan.getClass().getSimpleName(), e);
        }
        return bytes.toByteArray();
    }

    /** Only jrunc's plan classes and plain JDK value types may appear in the stream. */
    private static final ObjectInputFilter PLAN_FILTER = ObjectInputFilter.Config.createFilter(
            "org.jrunc.**;java.lang.*;java.util.*;[J;[B;[I;[Ljava.lang.*;!*");

    public static InitPlan decodePlan(byte[] payload) {
        Object o = decodeObject(payload);
        if (!(o instanceof InitPlan)) {
            throw new JruncException("cannot read the init plan: got " + (o == null ? "null" : o.getClass().getName()));
        }
        return (InitPlan) o;
    }

    /** Reads one serialized object, refusing any class outside jrunc and the plain JDK value types. */
    public static Object decodeObject(byte[] payload) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(payload))) {
            in.setObjectInputFilter(PLAN_FILTER);
            return in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new JruncException("cannot read the plan: " + e);
        }
    }



    @Override
    public void close() {
        sys.close(fd);
    }
}
