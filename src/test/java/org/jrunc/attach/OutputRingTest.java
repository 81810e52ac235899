package org.jrunc.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputRingTest {
    private static void add(OutputRing r, byte stream, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        r.append(stream, b, 0, b.length);
    }

    private static String text(OutputRing r) {
        StringBuilder b = new StringBuilder();
        for (OutputRing.Chunk c : r.contents()) {
            b.append(c.stream())
                    .append(':')
                    .append(new String(c.data(), StandardCharsets.US_ASCII))
                    .append(' ');
        }
        return b.toString().trim();
    }

    @Test
    void keepsEverythingBelowCapacityInOrderWithStreams() {
        OutputRing r = new OutputRing(100);
        add(r, AttachFrame.STDOUT, "ready\n");
        add(r, AttachFrame.STDERR, "oops\n");
        add(r, AttachFrame.STDOUT, "more\n");
        assertEquals("2:ready\n 3:oops\n 2:more\n", text(r) + "\n");
        assertEquals(16, r.size());
    }

    @Test
    void dropsTheOldestBytesFirstTrimmingAChunk() {
        OutputRing r = new OutputRing(10);
        add(r, AttachFrame.STDOUT, "abcdef");
        add(r, AttachFrame.STDERR, "ghijkl");
        assertEquals("2:cdef 3:ghijkl", text(r));
        assertEquals(10, r.size());
    }

    @Test
    void dropsWholeChunksThatNoLongerFit() {
        OutputRing r = new OutputRing(4);
        add(r, AttachFrame.STDOUT, "ab");
        add(r, AttachFrame.STDOUT, "cd");
        add(r, AttachFrame.STDERR, "efgh");
        assertEquals("3:efgh", text(r));
    }

    @Test
    void aPieceLargerThanTheRingKeepsItsTail() {
        OutputRing r = new OutputRing(3);
        add(r, AttachFrame.STDOUT, "123456789");
        assertEquals(
                List.of("789"),
                r.contents().stream()
                        .map(c -> new String(c.data(), StandardCharsets.US_ASCII))
                        .toList());
    }

    @Test
    void emptyAppendsChangeNothing() {
        OutputRing r = new OutputRing(3);
        r.append(AttachFrame.STDOUT, new byte[0], 0, 0);
        assertEquals(0, r.contents().size());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new OutputRing(0));
    }
}
