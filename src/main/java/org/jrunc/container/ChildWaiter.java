package org.jrunc.container;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.process.Signals;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.WaitStatus;
import sun.misc.Signal;

/**
 * Waits for a child process (the container's init for `run`, the exec'ed process for `exec`) while forwarding the
 * signals this process gets to it, and turns its end into an exit status: the code, or 128+signal.
 */
final class ChildWaiter {
    private static final List<String> FORWARDED =
            List.of("HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH", "CONT", "ALRM");

    private ChildWaiter() {}

    static int waitForwardingSignals(Syscalls sys, int pid) {
        return waitForwardingSignals(sys, pid, null);
    }

    /**
     * @param onResize with a terminal of this process's own: what SIGWINCH does instead of being forwarded (resize
     *                 the pty, whose kernel then signals the container's foreground process group)
     */
    static int waitForwardingSignals(Syscalls sys, int pid, Runnable onResize) {
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), new Forwarder(pid, name.equals("WINCH") ? onResize : null));
            } catch (IllegalArgumentException e) {
                // the JVM reserves this one (e.g. QUIT for thread dumps); it is not forwarded
            }
        }
        return WaitStatus.shellCode(reap(sys, pid));
    }

    /**
     * Sends what this process receives on to the container, or resizes its own terminal. A named class rather than a
     * lambda: this path cannot be trained into the AOT cache, and a lambda there costs class spinning on every run.
     */
    private record Forwarder(int pid, Runnable instead) implements sun.misc.SignalHandler {
        @Override
        public void handle(Signal s) {
            if (instead != null) {
                instead.run();
            } else {
                Signals.send(pid, s.getNumber());
            }
        }
    }

    /** Reaps children until {@code pid} exits; others are orphans a subreaper inherits. */
    private static int reap(Syscalls sys, int pid) {
        while (true) {
            int[] w;
            try {
                w = sys.waitpid(-1, Flags.WALL);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ECHILD) {
                    throw new JruncException("lost track of process " + pid);
                }
                throw e;
            }
            if (w[0] == pid) {
                return w[1];
            }
        }
    }
}
