package org.jrunc.sif;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** A {@link ByteSource} over a FileChannel, using positional reads only (no mapping, no shared file position). */
final class FileByteSource implements ByteSource {
    private final FileChannel channel;
    private final boolean ownsChannel;

    FileByteSource(FileChannel channel, boolean ownsChannel) {
        this.channel = channel;
        this.ownsChannel = ownsChannel;
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public int read(ByteBuffer dst, long position) throws IOException {
        return channel.read(dst, position);
    }

    @Override
    public void close() throws IOException {
        if (ownsChannel) {
            channel.close();
        }
    }
}
