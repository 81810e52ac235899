package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@link Syscalls#readToEnd}: the loop exec's error pipe and a hook's output capture share. */
class ReadToEndTest {
    /** Serves {@code data} in reads of at most {@code chunk} bytes, then end of file or, if asked, a failure. */
    private static final class Source extends RecordingSyscalls {
        private final byte[] data;
        private final int chunk;
        private final boolean failAtEnd;
        private int at;
        int reads;

        Source(byte[] data, int chunk, boolean failAtEnd) {
            this.data = data;
            this.chunk = chunk;
            this.failAtEnd = failAtEnd;
        }

        @Override
        public int read(int fd, byte[] buf, int off, int len) {
            reads++;
            if (at == data.length && failAtEnd) {
                throw new SyscallException("read", "fd " + fd, Errno.EIO);
            }
            int n = Math.min(Math.min(chunk, len), data.length - at);
            System.arraycopy(data, at, buf, off, n);
            at += n;
            return n;
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    @Test
    void readsEverythingUntilEndOfFile() {
        byte[] data = bytes(10_000);
        Source s = new Source(data, 3000, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.readToEnd(7, out, Integer.MAX_VALUE);
        assertArrayEquals(data, out.toByteArray());
    }

    @Test
    void keepsAtMostTheLimitButReadsOnToTheEnd() {
        byte[] data = bytes(10_000);
        Source s = new Source(data, 1000, false);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        s.readToEnd(7, out, 2500);
        assertArrayEquals(Arrays.copyOf(data, 2500), out.toByteArray());
        assertEquals(11, s.reads, "ten reads of data and the one that sees end of file");
    }

    @Test
    void aFailedReadKeepsWhatCameBefore() {
        byte[] data = bytes(100);
        Source s = new Source(data, 40, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThrows(SyscallException.class, () -> s.readToEnd(7, out, 4096));
        assertArrayEquals(data, out.toByteArray());
    }
}
