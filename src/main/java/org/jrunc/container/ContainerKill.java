package org.jrunc.container;

import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.process.HostProcesses;
import org.jrunc.process.Signals;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.Status;

/**
 * `kill [--all] ID [SIGNAL]`: signals the init, or with --all every process of the container. A stopped container is
 * runc's "container not running" (which --all turns into success, as containerd expects).
 */
public final class ContainerKill {
    private final ContainerHost host;
    private final StateStore store;
    private final CgroupManager.Factory cgroups;
    private final HostProcesses processes;

    public ContainerKill(ContainerHost host) {
        this.host = host;
        this.store = host.store();
        this.cgroups = host.cgroups();
        this.processes = host.processes();
    }

    public void kill(String id, int signal, boolean all) {
        ContainerRecord r = store.load(id);
        Status s = host.probe().status(r, store.fifo(id));
        if (s == Status.STOPPED || s == Status.CREATING) {
            if (all) {
                cgroup(r).killAll(signal, processes);
                return;
            }
            throw new JruncException("container not running");
        }
        if (all) {
            cgroup(r).killAll(signal, processes);
            if (r.cgroupPaths.isEmpty()) {
                // no cgroup (rootless, nothing writable): the init's tree is what is known of the container
                for (int pid : processes.descendants(r.initPid)) {
                    processes.signal(pid, signal);
                }
            }
            // before start the init is not in the cgroup yet
            processes.signal(r.initPid, signal);
            return;
        }
        if (!processes.signal(r.initPid, signal)) {
            throw new JruncException("container not running");
        }
        if (signal == Signals.SIGKILL && s == Status.PAUSED) {
            // a frozen process does not die until it is thawed
            cgroup(r).thaw();
        }
    }

    private CgroupManager cgroup(ContainerRecord r) {
        return cgroups.forRecorded(r.cgroupPaths, r.createdCgroups);
    }
}
