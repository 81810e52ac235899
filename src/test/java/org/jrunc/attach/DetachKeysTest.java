package org.jrunc.attach;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DetachKeysTest {
    private static final byte P = 0x10;
    private static final byte Q = 0x11;

    private static DetachKeys.Result feed(DetachKeys k, byte... b) {
        return k.feed(b, 0, b.length);
    }

    @Test
    void plainInputPassesThrough() {
        DetachKeys.Result r = feed(new DetachKeys(), (byte) 'l', (byte) 's', (byte) '\n');
        assertArrayEquals(new byte[] {'l', 's', '\n'}, r.forward());
        assertFalse(r.detach());
    }

    @Test
    void ctrlPCtrlQDetachesAfterSendingWhatCameBefore() {
        DetachKeys.Result r = feed(new DetachKeys(), (byte) 'a', P, Q, (byte) 'b');
        assertArrayEquals(new byte[] {'a'}, r.forward());
        assertTrue(r.detach());
    }

    @Test
    void theSequenceIsFoundAcrossReads() {
        DetachKeys k = new DetachKeys();
        DetachKeys.Result first = feed(k, (byte) 'x', P);
        assertArrayEquals(new byte[] {'x'}, first.forward(), "ctrl-p is held back");
        assertFalse(first.detach());
        assertTrue(feed(k, Q).detach());
    }

    @Test
    void aLoneCtrlPIsPassedOnWithTheNextKey() {
        DetachKeys k = new DetachKeys();
        assertArrayEquals(new byte[0], feed(k, P).forward());
        DetachKeys.Result r = feed(k, (byte) 'z');
        assertArrayEquals(new byte[] {P, 'z'}, r.forward());
        assertFalse(r.detach());
    }

    @Test
    void ctrlPTwiceThenCtrlQDetachesAfterOneCtrlP() {
        DetachKeys.Result r = feed(new DetachKeys(), P, P, Q);
        assertArrayEquals(new byte[] {P}, r.forward());
        assertTrue(r.detach());
    }

    @Test
    void ctrlQAloneIsInput() {
        DetachKeys.Result r = feed(new DetachKeys(), Q);
        assertArrayEquals(new byte[] {Q}, r.forward());
        assertFalse(r.detach());
    }
}
