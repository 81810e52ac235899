package org.jrunc.container;

import org.jrunc.process.Signals;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.Status;
import org.jrunc.state.StatusProbe;

/**
 * `kill [--all] ID [SIGNAL]`: signals the init, or with --all every process of the container. A stopped container is
 * runc's "container not running" (which --all turns into success, as containerd expects).
 */
public final class ContainerKill {
    /** How kill --all and delete send signals: {@link Signals#send}. */
    static final CgroupManager.Signaller SIGNALS = new SendSignal();

    private final StateStore store;
    private final CgroupManager.Factory cgroups;

    public ContainerKill(StateStore store, CgroupManager.Factory cgroups) {
        this.store = store;
        this.cgroups = cgroups;
    }

    public void kill(String id, int signal, boolean all) {
        ContainerRecord r = store.load(id);
        Status s = StatusProbe.status(r, store.fifo(id));
        if (s == Status.STOPPED || s == Status.CREATING) {
            if (all) {
                cgroup(r).killAll(signal, SIGNALS);
                return;
            }
            throw new JruncException("container not running");
        }
        if (all) {
            cgroup(r).killAll(signal, SIGNALS);
            // before start the init is not in the cgroup yet
            Signals.send(r.initPid, signal);
            return;
        }
        if (!Signals.send(r.initPid, signal)) {
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

    /** A named class, not a method reference: kill --all is a path the training cannot run. */
    private static final class SendSignal implements CgroupManager.Signaller {
        @Override
        public boolean send(int pid, int signal) {
            return Signals.send(pid, signal);
        }
    }
}
