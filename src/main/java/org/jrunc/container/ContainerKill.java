package org.jrunc.container;

import org.jrunc.process.Signals;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.Freezer;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.Status;
import org.jrunc.state.StatusProbe;

/**
 * `kill [--all] ID [SIGNAL]`: signals the init, or with --all every process of the container. A stopped container is
 * runc's "container not running" (which --all turns into success, as containerd expects).
 */
public final class ContainerKill {
    private final StateStore store;

    public ContainerKill(StateStore store) {
        this.store = store;
    }

    public void kill(String id, int signal, boolean all) {
        ContainerRecord r = store.load(id);
        Status s = StatusProbe.status(r, store.fifo(id));
        if (s == Status.STOPPED || s == Status.CREATING) {
            if (all) {
                signalCgroup(r, signal);
                return;
            }
            throw new JruncException("container not running");
        }
        if (all) {
            signalCgroup(r, signal);
            // before start the init is not in the cgroup yet
            Signals.send(r.initPid, signal);
            return;
        }
        if (!Signals.send(r.initPid, signal)) {
            throw new JruncException("container not running");
        }
        if (signal == Signals.SIGKILL && s == Status.PAUSED) {
            // a frozen process does not die until it is thawed
            Freezer.thaw(r.cgroupPaths);
        }
    }

    /**
     * Every process in the container's cgroup. SIGKILL on cgroup v2 uses cgroup.kill (atomic, no pid races);
     * otherwise the cgroup is frozen while the signals go out, so nothing can fork past them.
     */
    static void signalCgroup(ContainerRecord r, int signal) {
        String unified = r.cgroupPaths.get("unified");
        if (signal == Signals.SIGKILL && unified != null && Files.exists(Path.of(unified, "cgroup.kill"))
                && Freezer.writeQuietly(Path.of(unified, "cgroup.kill"), "1")) {
            return;
        }
        boolean wasFrozen = Freezer.isFrozen(r.cgroupPaths);
        if (!wasFrozen) {
            Freezer.freeze(r.cgroupPaths);
        }
        try {
            Set<Integer> pids = new LinkedHashSet<>(ContainerCgroup.pids(r.cgroupPaths));
            for (int pid : pids) {
                Signals.send(pid, signal);
            }
        } finally {
            if (!wasFrozen || signal == Signals.SIGKILL) {
                Freezer.thaw(r.cgroupPaths);
            }
        }
    }
}
