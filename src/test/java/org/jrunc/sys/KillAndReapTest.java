package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KillAndReapTest {
    private static SyscallException gone(String call) {
        return new SyscallException(call, "pid", call.equals("kill") ? Errno.ESRCH : Errno.ECHILD);
    }

    @Test
    void killsWithSigkillThenWaits() {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.killAndReap(42);
        assertEquals(List.of("kill 42 9", "waitpid 42"), sys.calls);
    }

    @Test
    void aFailedKillSkipsTheWaitQuietly() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("kill 42", gone("kill"));
        sys.killAndReap(42);
        assertEquals(List.of("kill 42 9"), sys.calls);
    }

    @Test
    void aFailedWaitIsIgnored() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("waitpid 42", gone("waitpid"));
        sys.killAndReap(42);
        assertEquals(List.of("kill 42 9", "waitpid 42"), sys.calls);
    }

    @Test
    void theAlwaysVariantWaitsEvenWhenTheKillFails() {
        RecordingSyscalls sys = new RecordingSyscalls().failOn("kill 7", gone("kill"));
        sys.killAndAlwaysReap(7);
        assertEquals(List.of("kill 7 9", "waitpid 7"), sys.calls);
        RecordingSyscalls waitFails = new RecordingSyscalls().failOn("waitpid 7", gone("waitpid"));
        waitFails.killAndAlwaysReap(7);
        assertEquals(List.of("kill 7 9", "waitpid 7"), waitFails.calls);
    }
}
