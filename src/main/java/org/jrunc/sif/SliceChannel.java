package org.jrunc.sif;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;

/**
 * A read-only window {@code [start, start+size)} of a validated image: reads never cross its end, so callers get
 * exactly the object's bytes. Closing it does not close the image.
 */
final class SliceChannel implements SeekableByteChannel {
    private final ByteSource source;
    private final long start;
    private final long size;
    private final String file;
    private final String what;
    private long position;
    private boolean open = true;

    SliceChannel(ByteSource source, long start, long size, String file, String what) {
        this.source = source;
        this.start = start;
        this.size = size;
        this.file = file;
        this.what = what;
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        ensureOpen();
        if (position >= size) {
            return -1;
        }
        int want = (int) Math.min(dst.remaining(), size - position);
        ByteBuffer window = dst.duplicate();
        window.limit(window.position() + want);
        int n = source.read(window, start + position);
        if (n < 0) {
            throw ByteSource.shrunk(file, what, start + position);
        }
        dst.position(dst.position() + n);
        position += n;
        return n;
    }

    @Override
    public int write(ByteBuffer src) {
        throw new NonWritableChannelException();
    }

    @Override
    public long position() throws IOException {
        ensureOpen();
        return position;
    }

    @Override
    public SeekableByteChannel position(long newPosition) throws IOException {
        ensureOpen();
        if (newPosition < 0) {
            throw new IllegalArgumentException("negative position " + newPosition);
        }
        position = newPosition;
        return this;
    }

    @Override
    public long size() throws IOException {
        ensureOpen();
        return size;
    }

    @Override
    public SeekableByteChannel truncate(long newSize) {
        throw new NonWritableChannelException();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public void close() {
        open = false;
    }

    private void ensureOpen() throws ClosedChannelException {
        if (!open) {
            throw new ClosedChannelException();
        }
    }
}
