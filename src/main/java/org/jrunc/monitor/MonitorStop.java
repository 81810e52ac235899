package org.jrunc.monitor;

import org.jrunc.Pause;
import org.jrunc.process.HostProcesses;
import org.jrunc.process.Signals;
import org.jrunc.state.ContainerRecord;

/**
 * Ends a container's monitor for `delete`. The monitor holds nothing that needs an orderly end (the socket goes with
 * the state directory), so SIGKILL it is; it is somebody else's child, so only its exit is waited for. A monitor that
 * is already gone (killed, crashed) is fine: it must never make a container undeletable.
 */
public final class MonitorStop {
    private static final int WAIT_MILLIS = 5000;

    private MonitorStop() {}

    /** @param processes the host's processes, as the container operations see them */
    public static void stop(HostProcesses processes, ContainerRecord r) {
        if (r.monitorPid <= 0 || !processes.isSameLiveProcess(r.monitorPid, r.monitorStartTicks)) {
            return;
        }
        processes.signal(r.monitorPid, Signals.SIGKILL);
        for (int waited = 0; waited < WAIT_MILLIS; waited += 10) {
            if (!processes.isSameLiveProcess(r.monitorPid, r.monitorStartTicks)) {
                return;
            }
            if (!Pause.millis(10)) {
                return;
            }
        }
    }
}
