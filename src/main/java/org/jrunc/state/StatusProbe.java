package org.jrunc.state;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.process.HostProcesses;

/**
 * Derives a container's status at query time from the kernel, as runc does: the init process (checked against its
 * recorded start time, so a reused pid is not mistaken for it), the freezer, and whether exec.fifo still exists. The
 * processes and the cgroups are those the operations are given.
 */
public final class StatusProbe {
    private final HostProcesses processes;
    private final CgroupManager.Factory cgroups;

    public StatusProbe(HostProcesses processes, CgroupManager.Factory cgroups) {
        this.processes = processes;
        this.cgroups = cgroups;
    }

    public Status status(ContainerRecord r, Path fifo) {
        boolean creatorAlive = r.creatorPid > 0 && processes.isSameLiveProcess(r.creatorPid, r.creatorStartTicks);
        if (!r.createComplete) {
            // a create that died half-way leaves a container that can only be deleted
            return creatorAlive ? Status.CREATING : Status.STOPPED;
        }
        if (!initAlive(r)) {
            return Status.STOPPED;
        }
        if (cgroups.forRecorded(r.cgroupPaths, r.createdCgroups).isFrozen()) {
            return Status.PAUSED;
        }
        return Files.exists(fifo) ? Status.CREATED : Status.RUNNING;
    }

    public boolean initAlive(ContainerRecord r) {
        return r.initPid > 0 && processes.isSameLiveProcess(r.initPid, r.initStartTicks);
    }
}
