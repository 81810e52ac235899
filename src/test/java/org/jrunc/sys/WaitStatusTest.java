package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class WaitStatusTest {
    @Test
    void anExitCarriesItsCodeInTheSecondByte() {
        assertTrue(WaitStatus.exited(0));
        assertEquals(0, WaitStatus.exitCode(0));
        assertTrue(WaitStatus.exited(3 << 8));
        assertEquals(3, WaitStatus.exitCode(3 << 8));
        assertEquals(0, WaitStatus.signal(3 << 8));
        assertEquals(255, WaitStatus.exitCode(255 << 8));
    }

    @Test
    void aSignalCarriesItsNumberInTheLowSevenBits() {
        assertFalse(WaitStatus.exited(9));
        assertEquals(9, WaitStatus.signal(9));
        assertFalse(WaitStatus.exited(11 | 0x80));
        assertEquals(11, WaitStatus.signal(11 | 0x80), "a core dump is still the signal");
    }

    @Test
    void waitStatusesBecomeShellExitCodes() {
        assertEquals(0, WaitStatus.shellCode(0));
        assertEquals(3, WaitStatus.shellCode(3 << 8));
        assertEquals(255, WaitStatus.shellCode(255 << 8));
        assertEquals(137, WaitStatus.shellCode(9));
        assertEquals(143, WaitStatus.shellCode(15));
        assertEquals(139, WaitStatus.shellCode(11 | 0x80), "a core dump is still the signal");
    }

    @Test
    void descriptionsNameTheCodeOrTheSignal() {
        assertEquals("exit status 0", WaitStatus.describe(0));
        assertEquals("exit status 2", WaitStatus.describe(2 << 8));
        assertEquals("killed by signal 9", WaitStatus.describe(9));
        assertEquals("killed by signal 6", WaitStatus.describe(6 | 0x80));
    }
}
