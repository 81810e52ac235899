package org.jrunc.container;

import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.Status;

/** `pause` and `resume`: the cgroup freezer (v1 freezer.state, or cgroup.freeze on the unified hierarchy). */
public final class ContainerPause {
    private final ContainerHost host;
    private final StateStore store;
    private final CgroupManager.Factory cgroups;

    public ContainerPause(ContainerHost host) {
        this.host = host;
        this.store = host.store();
        this.cgroups = host.cgroups();
    }

    public void pause(String id) {
        ContainerRecord r = store.load(id);
        Status s = host.probe().status(r, store.fifo(id));
        if (s != Status.RUNNING && s != Status.CREATED) {
            throw new JruncException("container not running");
        }
        cgroups.forRecorded(r.cgroupPaths, r.createdCgroups).freeze();
    }

    public void resume(String id) {
        ContainerRecord r = store.load(id);
        if (host.probe().status(r, store.fifo(id)) != Status.PAUSED) {
            throw new JruncException("container not paused");
        }
        cgroups.forRecorded(r.cgroupPaths, r.createdCgroups).thaw();
    }
}
