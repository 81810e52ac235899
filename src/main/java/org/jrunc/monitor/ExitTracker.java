package org.jrunc.monitor;

import org.jrunc.attach.AttachFrame;
import org.jrunc.process.ProcStat;
import org.jrunc.sys.Pidfd;
import org.jrunc.sys.Poll;
import org.jrunc.sys.ProcExitEvents;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.WaitStatus;

/**
 * When the container's init exits, and with what status. The monitor is not the init's parent (create's process is,
 * then whoever adopts it), so it cannot wait for it: a pidfd tells it when, and the kernel's process events connector
 * tells it the status. The connector reports exits of threads too, and an exec from a non-leader thread (the init JVM
 * may exec from any thread) reports the old leader killed: so the last exit reported for the init's pid is the one
 * that counts, and when the pidfd fires first, the event still on its way is waited for briefly.
 */
final class ExitTracker {
    /** How long the status may trail the pidfd: the kernel notifies the pidfd before it sends the exit event. */
    private static final int STATUS_GRACE_MILLIS = 1000;

    private final Syscalls sys;
    private ProcExitEvents events;
    private int pid = -1;
    private int pidfd = -1;
    private int lastStatus = -1;
    private int statusCount;
    private boolean exited;
    private int exitCode = AttachFrame.UNKNOWN_STATUS;

    ExitTracker(Syscalls sys) {
        this.sys = sys;
        try {
            events = ProcExitEvents.open();
        } catch (SyscallException e) {
            events = null; // not in the initial namespaces, or no CAP_NET_ADMIN: exits are seen, statuses are not
        }
    }

    /** The init's pid, sent by create; a pid that is gone or reused already counts as an exit. */
    void watch(int initPid, long startTicks) {
        pid = initPid;
        try {
            pidfd = Pidfd.open(initPid);
        } catch (SyscallException e) {
            finish();
            return;
        }
        ProcStat st = ProcStat.read(initPid);
        if (st == null || st.startTicks() != startTicks) {
            finish();
        }
    }

    /** The connector's socket while it is still needed, else -1. */
    int eventsFd() {
        return events == null || exited ? -1 : events.fd();
    }

    /** The pidfd to poll while the init runs, else -1. */
    int pidfd() {
        return exited ? -1 : pidfd;
    }

    boolean exited() {
        return exited;
    }

    /** The container's exit status (code, or 128+signal), or {@link AttachFrame#UNKNOWN_STATUS}. */
    int exitCode() {
        return exitCode;
    }

    /** One message from the connector. */
    void readEvent() {
        ProcExitEvents.Exit e = events.read();
        if (e != null && pid > 0 && e.pid() == pid && e.tgid() == pid) {
            lastStatus = e.status();
            statusCount++;
        }
    }

    /** The pidfd fired: the init is gone. Waits briefly for its status, then lets go of both descriptors. */
    void finish() {
        if (exited) {
            return;
        }
        if (events != null) {
            int seen = statusCount;
            long deadline = System.nanoTime() + STATUS_GRACE_MILLIS * 1_000_000L;
            while (statusCount == seen) {
                int left = (int) ((deadline - System.nanoTime()) / 1_000_000L);
                if (left <= 0 || !Poll.readable(events.fd(), left)) {
                    break;
                }
                readEvent();
            }
            events.close();
            events = null;
        }
        if (pidfd >= 0) {
            sys.close(pidfd);
            pidfd = -1;
        }
        exited = true;
        exitCode = lastStatus < 0 ? AttachFrame.UNKNOWN_STATUS : WaitStatus.shellCode(lastStatus);
    }
}
