package org.jrunc.attach;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * One message of the attach protocol (docs/ATTACH.md). The socket is SOCK_SEQPACKET, so every message arrives whole
 * and alone, and a message is just a type byte followed by its payload. The output types are conmon's stream ids.
 *
 * <ul>
 * <li>monitor to client: {@link #STDOUT} and {@link #STDERR} (output bytes), {@link #EXIT} (4-byte big-endian exit
 *   status, -1 when unknown)
 * <li>client to monitor: {@link #STDIN} (input bytes), {@link #CLOSE_STDIN} (no payload), {@link #RESIZE} (rows and
 *   columns, 2 bytes big-endian each)
 * </ul>
 */
public record AttachFrame(byte type, byte[] payload) {
    public static final byte STDIN = 1;
    public static final byte STDOUT = 2;
    public static final byte STDERR = 3;
    public static final byte EXIT = 4;
    public static final byte CLOSE_STDIN = 5;
    public static final byte RESIZE = 6;
    /** The largest payload either side sends; a receiver's buffer is one byte more. */
    public static final int MAX_PAYLOAD = 32 * 1024;

    public static final int UNKNOWN_STATUS = -1;

    /** {@code type} followed by {@code len} bytes of {@code data} from {@code off}. */
    public static byte[] encode(byte type, byte[] data, int off, int len) {
        if (len > MAX_PAYLOAD) {
            throw new IllegalArgumentException("attach frame payload of " + len + " bytes is over " + MAX_PAYLOAD);
        }
        byte[] packet = new byte[len + 1];
        packet[0] = type;
        System.arraycopy(data, off, packet, 1, len);
        return packet;
    }

    /** The message in the first {@code len} bytes of {@code packet}; null for an empty one (end of stream). */
    public static AttachFrame decode(byte[] packet, int len) {
        if (len <= 0) {
            return null;
        }
        return new AttachFrame(packet[0], Arrays.copyOfRange(packet, 1, len));
    }

    public static byte[] exit(int status) {
        return encode(EXIT, ByteBuffer.allocate(4).putInt(status).array(), 0, 4);
    }

    public static byte[] resize(int rows, int cols) {
        return encode(
                RESIZE,
                ByteBuffer.allocate(4)
                        .putShort((short) rows)
                        .putShort((short) cols)
                        .array(),
                0,
                4);
    }

    public static byte[] closeStdin() {
        return new byte[] {CLOSE_STDIN};
    }

    /** The status of an {@link #EXIT} message. */
    public int exitStatus() {
        return payload.length < 4 ? UNKNOWN_STATUS : ByteBuffer.wrap(payload).getInt();
    }

    /** {rows, cols} of a {@link #RESIZE} message, or null when it is malformed. */
    public int[] windowSize() {
        if (payload.length < 4) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(payload);
        return new int[] {b.getShort() & 0xffff, b.getShort() & 0xffff};
    }
}
