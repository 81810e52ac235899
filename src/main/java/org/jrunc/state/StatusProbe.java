package org.jrunc.state;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.cgroups.manager.Freezer;

/**
 * Derives a container's status at query time from the kernel, as runc does: the init process (checked against its
 * recorded start time, so a reused pid is not mistaken for it), the freezer, and whether exec.fifo still exists.
 */
public final class StatusProbe {
    private StatusProbe() {
    }

    public static Status status(ContainerRecord r, Path fifo) {
        boolean creatorAlive = r.creatorPid > 0 && ProcStat.isSameLiveProcess(r.creatorPid, r.creatorStartTicks);
        if (!r.createComplete) {
            // a create that died half-way leaves a container that can only be deleted
            return creatorAlive ? Status.CREATING : Status.STOPPED;
        }
        if (!initAlive(r)) {
            return Status.STOPPED;
        }
        if (Freezer.isFrozen(r.cgroupPaths)) {
            return Status.PAUSED;
        }
        return Files.exists(fifo) ? Status.CREATED : Status.RUNNING;
    }

    public static boolean initAlive(ContainerRecord r) {
        return r.initPid > 0 && ProcStat.isSameLiveProcess(r.initPid, r.initStartTicks);
    }
}
