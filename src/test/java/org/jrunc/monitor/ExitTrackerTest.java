package org.jrunc.monitor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ExitTrackerTest {
    @Test
    void waitStatusesBecomeShellExitCodes() {
        assertEquals(0, ExitTracker.exitCodeOf(0));
        assertEquals(3, ExitTracker.exitCodeOf(3 << 8));
        assertEquals(255, ExitTracker.exitCodeOf(255 << 8));
        assertEquals(137, ExitTracker.exitCodeOf(9));
        assertEquals(143, ExitTracker.exitCodeOf(15));
        assertEquals(139, ExitTracker.exitCodeOf(11 | 0x80), "a core dump is still the signal");
    }
}
