package org.jrunc.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AttachFrameTest {

    @Test
    void outputFramesAreTheStreamIdThenTheBytes() {
        byte[] data = "xhello".getBytes(StandardCharsets.US_ASCII);
        byte[] packet = AttachFrame.encode(AttachFrame.STDOUT, data, 1, 5);
        assertArrayEquals(new byte[] {2, 'h', 'e', 'l', 'l', 'o'}, packet);
        AttachFrame f = AttachFrame.decode(packet, packet.length);
        assertEquals(AttachFrame.STDOUT, f.type());
        assertEquals("hello", new String(f.payload(), StandardCharsets.US_ASCII));
    }

    @Test
    void decodeUsesOnlyTheReceivedLength() {
        byte[] buf = {3, 'a', 'b', 'c', 'd'};
        assertArrayEquals(new byte[] {'a', 'b'}, AttachFrame.decode(buf, 3).payload());
    }

    @Test
    void anEmptyReadIsTheEndOfTheStream() {
        assertNull(AttachFrame.decode(new byte[8], 0));
    }

    @Test
    void exitStatusRoundTrips() {
        for (int status : new int[] {0, 3, 137, 255, AttachFrame.UNKNOWN_STATUS}) {
            byte[] p = AttachFrame.exit(status);
            assertEquals(AttachFrame.EXIT, p[0]);
            assertEquals(status, AttachFrame.decode(p, p.length).exitStatus());
        }
    }

    @Test
    void windowSizeRoundTrips() {
        byte[] p = AttachFrame.resize(50, 300);
        assertArrayEquals(new int[] {50, 300}, AttachFrame.decode(p, p.length).windowSize());
        assertNull(AttachFrame.decode(new byte[] {AttachFrame.RESIZE, 1}, 2).windowSize());
    }

    @Test
    void closeStdinHasNoPayload() {
        byte[] p = AttachFrame.closeStdin();
        assertEquals(1, p.length);
        assertEquals(AttachFrame.CLOSE_STDIN, AttachFrame.decode(p, 1).type());
    }

    @Test
    void payloadsOverTheLimitAreRefused() {
        byte[] big = new byte[AttachFrame.MAX_PAYLOAD + 1];
        assertThrows(IllegalArgumentException.class, () -> AttachFrame.encode(AttachFrame.STDIN, big, 0, big.length));
    }
}
