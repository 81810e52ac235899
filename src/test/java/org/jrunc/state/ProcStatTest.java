package org.jrunc.state;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ProcStatTest {
    @Test
    void selfIsThisProcessWithItsStartTime() {
        ProcStat self = ProcStat.self();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertEquals(ProcStat.read(self.pid()).startTicks(), self.startTicks());
    }

    @Test
    void aCommandWithSpacesAndParenthesesIsSkipped() {
        String stat = "42 (a) b (c)) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 777 0 0";
        assertEquals(new ProcStat(42, 'S', 777), ProcStat.parse(42, stat));
    }
}
