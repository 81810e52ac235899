package org.jrunc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void procStatSurvivesHostileCommandNames() {
        String stat = "1234 (evil) R (x y)) S 1 1234 1234 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 123 4 5";
        ProcStat st = ProcStat.parse(1234, stat);
        assertEquals('S', st.state());
        assertEquals(987654L, st.startTicks());
        assertNull(ProcStat.parse(1, "garbage"));
    }

    @Test
    void ownProcessIsReadFromTheKernel() {
        int pid = (int) ProcessHandle.current().pid();
        ProcStat st = ProcStat.read(pid);
        assertTrue(ProcStat.isSameLiveProcess(pid, st.startTicks()));
        assertTrue(!ProcStat.isSameLiveProcess(pid, st.startTicks() + 1), "another start time is another process");
    }
}
