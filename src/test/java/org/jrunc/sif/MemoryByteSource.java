package org.jrunc.sif;

import java.nio.ByteBuffer;

/**
 * An in-memory image that fails the test (with an AssertionError, which no production code catches) if anything
 * asks to read past its end: the library must only ever read ranges it has checked against the file size.
 */
final class MemoryByteSource implements ByteSource {
    private final byte[] data;
    private long reads;

    MemoryByteSource(byte[] data) {
        this.data = data;
    }

    @Override
    public long size() {
        return data.length;
    }

    @Override
    public int read(ByteBuffer dst, long position) {
        reads++;
        if (position < 0 || position + dst.remaining() > data.length) {
            throw new AssertionError("read of " + dst.remaining() + " bytes at " + position + " past the end ("
                    + data.length + " bytes)");
        }
        int n = dst.remaining();
        dst.put(data, (int) position, n);
        return n;
    }

    long reads() {
        return reads;
    }

    @Override
    public void close() {}

    static SifImage open(byte[] data, String name) {
        return SifImage.open(new MemoryByteSource(data), name);
    }
}
