package org.jrunc.attach;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The container's most recent output, at most {@code capacity} bytes, in the order it was written and with the stream
 * (stdout or stderr) of each piece: what a client is shown first when it attaches. Older output is dropped byte-wise,
 * so the ring always holds exactly the newest bytes.
 */
public final class OutputRing {
    /** A piece of output from one stream. */
    public record Chunk(byte stream, byte[] data) {}

    private final int capacity;
    private final ArrayDeque<Chunk> chunks = new ArrayDeque<>();
    private int size;

    public OutputRing(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
    }

    public void append(byte stream, byte[] data, int off, int len) {
        if (len <= 0) {
            return;
        }
        if (len > capacity) {
            off += len - capacity;
            len = capacity;
        }
        chunks.addLast(new Chunk(stream, Arrays.copyOfRange(data, off, off + len)));
        size += len;
        while (size > capacity) {
            Chunk oldest = chunks.removeFirst();
            int excess = size - capacity;
            if (oldest.data().length > excess) {
                chunks.addFirst(
                        new Chunk(oldest.stream(), Arrays.copyOfRange(oldest.data(), excess, oldest.data().length)));
                size -= excess;
            } else {
                size -= oldest.data().length;
            }
        }
    }

    /** What is held, oldest first. */
    public List<Chunk> contents() {
        return new ArrayList<>(chunks);
    }

    public int size() {
        return size;
    }
}
