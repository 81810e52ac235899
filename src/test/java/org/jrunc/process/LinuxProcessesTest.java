package org.jrunc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Supplier;
import org.jrunc.sys.Errno;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.junit.jupiter.api.Test;

/**
 * The host's processes: TERM and KILL through ProcessHandle, never the system calls (so `kill` and `delete` do not load
 * JNA); any other signal through kill(2), where ESRCH means "no such process". No real process is ever signalled: the
 * pids do not exist (above any pid_max) or the system calls are recorded.
 */
class LinuxProcessesTest {
    private static final int NO_SUCH_PID = Integer.MAX_VALUE;

    private final RecordingSyscalls sys = new RecordingSyscalls();
    private int reached;
    private final LinuxProcesses processes = new LinuxProcesses(new Supplier<Syscalls>() {
        @Override
        public Syscalls get() {
            reached++;
            return sys;
        }
    });

    @Test
    void termAndKillNeverReachTheSystemCalls() {
        assertFalse(processes.signal(NO_SUCH_PID, Signals.SIGTERM));
        assertFalse(processes.signal(NO_SUCH_PID, Signals.SIGKILL));
        assertEquals(0, reached);
    }

    @Test
    void otherSignalsGoThroughKill() {
        assertTrue(processes.signal(NO_SUCH_PID, 10));
        assertEquals(List.of("kill " + NO_SUCH_PID + " 10"), sys.calls);
        assertEquals(1, reached);
    }

    @Test
    void esrchIsAProcessThatIsGoneAndOtherErrorsAreErrors() {
        sys.failOn("kill 77", new SyscallException("kill", "77", Errno.ESRCH));
        assertFalse(processes.signal(77, 1));
        SyscallException eperm = new SyscallException("kill", "1", Errno.EPERM);
        sys.failOn("kill 1", eperm);
        assertSame(eperm, assertThrows(SyscallException.class, () -> processes.signal(1, 1)));
    }

    @Test
    void processesAreReadFromProc() {
        ProcStat self = processes.self();
        assertEquals(ProcessHandle.current().pid(), self.pid());
        assertEquals(self.startTicks(), processes.stat(self.pid()).startTicks());
        assertTrue(processes.isSameLiveProcess(self.pid(), self.startTicks()));
        assertFalse(processes.isSameLiveProcess(self.pid(), self.startTicks() + 1));
        assertNull(processes.stat(NO_SUCH_PID));
        assertEquals(0, reached);
    }
}
