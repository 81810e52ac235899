package org.jrunc.sif;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Positional, read-only access to an image's bytes. Everything this package reads goes through one, and only after
 * the range has been checked against {@link #size()} captured at open time, so nothing is ever read outside the
 * file. Tests substitute sources that record or restrict the reads.
 */
interface ByteSource extends Closeable {
    long size() throws IOException;

    /** Reads into {@code dst} from {@code position}; like FileChannel, returns -1 at end of file. */
    int read(ByteBuffer dst, long position) throws IOException;

    /** Reads exactly {@code dst.length} bytes; {@code what} names the region for the error message. */
    static void readFully(ByteSource source, long position, byte[] dst, String file, String what) {
        ByteBuffer buf = ByteBuffer.wrap(dst);
        try {
            while (buf.hasRemaining()) {
                int n = source.read(buf, position + buf.position());
                if (n < 0) {
                    throw shrunk(file, what, position + buf.position());
                }
            }
        } catch (IOException e) {
            throw SifException.io(file, "cannot read " + what, e);
        }
    }

    /** The file was validated against a larger size: it must have been truncated after it was opened. */
    static SifException shrunk(String file, String what, long at) {
        return new SifException(file, what + ": file ends at offset " + at + " (truncated while open?)");
    }
}
