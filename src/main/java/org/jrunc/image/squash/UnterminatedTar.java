package org.jrunc.image.squash;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A layer's tar stream that may end without the padding of its last entry and the end-of-archive blocks, as umoci
 * 0.4 writes layers: Go's archive/tar, which containerd and umoci unpack with, accepts that, and commons-compress
 * would call it truncated. At the end of the stream this supplies the zeros that were left out, and remembers where
 * the real data ended, so that {@link #endsBefore} can still tell a layer cut off inside an entry's data, which
 * those zeros would otherwise fill.
 */
final class UnterminatedTar extends FilterInputStream {
    private static final int BLOCK = 512;
    private static final int END_OF_ARCHIVE = 2 * BLOCK;

    private long offset;
    private long realEnd = -1;
    private long supplied;
    private long toSupply;

    UnterminatedTar(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (realEnd < 0) {
            int n = in.read(b, off, len);
            if (n >= 0) {
                offset += n;
                return n;
            }
            realEnd = offset;
            toSupply = (BLOCK - offset % BLOCK) % BLOCK + END_OF_ARCHIVE;
        }
        if (supplied >= toSupply) {
            return -1;
        }
        int n = (int) Math.min(len, toSupply - supplied);
        Arrays.fill(b, off, off + n, (byte) 0);
        supplied += n;
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        byte[] sink = new byte[(int) Math.min(n, 8192)];
        int read = read(sink, 0, sink.length);
        return Math.max(0, read);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** True when the stream really ended before {@code dataEnd}: the entry ending there lost part of its data. */
    boolean endsBefore(long dataEnd) {
        return realEnd >= 0 && realEnd < dataEnd;
    }
}
