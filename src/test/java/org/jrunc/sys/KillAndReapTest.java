package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class KillAndReapTest {

    /** Records waitpid too, and fails kill or waitpid on request. */
    private static final class Calls extends RecordingSyscalls {
        boolean killFails;
        boolean waitFails;

        @Override
        public void kill(int pid, int sig) {
            super.kill(pid, sig);
            if (killFails) {
                throw new SyscallException("kill", "pid " + pid, Errno.ESRCH);
            }
        }

        @Override
        public int[] waitpid(int pid, int options) {
            calls.add("waitpid " + pid + " " + options);
            if (waitFails) {
                throw new SyscallException("waitpid", "pid " + pid, Errno.ECHILD);
            }
            return super.waitpid(pid, options);
        }
    }

    @Test
    void killsWithSigkillThenWaits() {
        Calls sys = new Calls();
        sys.killAndReap(42);
        assertEquals(List.of("kill 42 9", "waitpid 42 0"), sys.calls);
    }

    @Test
    void aFailedKillSkipsTheWaitQuietly() {
        Calls sys = new Calls();
        sys.killFails = true;
        sys.killAndReap(42);
        assertEquals(List.of("kill 42 9"), sys.calls);
    }

    @Test
    void aFailedWaitIsIgnored() {
        Calls sys = new Calls();
        sys.waitFails = true;
        sys.killAndReap(42);
        assertEquals(List.of("kill 42 9", "waitpid 42 0"), sys.calls);
    }

    @Test
    void theAlwaysVariantWaitsEvenWhenTheKillFails() {
        Calls sys = new Calls();
        sys.killFails = true;
        sys.killAndAlwaysReap(7);
        assertEquals(List.of("kill 7 9", "waitpid 7 0"), sys.calls);
        sys.calls.clear();
        sys.killFails = false;
        sys.waitFails = true;
        sys.killAndAlwaysReap(7);
        assertEquals(List.of("kill 7 9", "waitpid 7 0"), sys.calls);
    }
}
