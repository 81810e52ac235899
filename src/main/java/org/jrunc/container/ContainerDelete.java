package org.jrunc.container;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.Pause;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.json.JsonWriter;
import org.jrunc.log.Log;
import org.jrunc.monitor.MonitorStop;
import org.jrunc.process.HostProcesses;
import org.jrunc.process.Signals;
import org.jrunc.rootfs.SharedNamespaceMounts;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;
import org.jrunc.state.Status;

/**
 * `delete [--force] ID`, with runc's semantics: a stopped container is destroyed; a created one is killed and
 * destroyed even without --force (containerd relies on that); anything else needs --force. A missing ID with --force
 * succeeds. A container whose create died half-way is always deletable.
 */
public final class ContainerDelete {
    private final ContainerHost host;
    private final StateStore store;
    private final CgroupManager.Factory cgroups;
    private final HostProcesses processes;

    public ContainerDelete(ContainerHost host) {
        this.host = host;
        this.store = host.store();
        this.cgroups = host.cgroups();
        this.processes = host.processes();
    }

    public void delete(String id, boolean force) {
        StateStore.validateId(id);
        if (!store.exists(id)) {
            if (force) {
                return;
            }
            throw new JruncException("container does not exist");
        }
        ContainerRecord r;
        try {
            r = store.load(id);
        } catch (JruncException e) {
            // a directory without (readable) state: a create that never got far; nothing else can be ours
            store.remove(id);
            if (force) {
                return;
            }
            throw e;
        }
        Status s = host.probe().status(r, store.fifo(id));
        if (s == Status.CREATING) {
            throw new JruncException("cannot delete container " + id + " that is being created");
        }
        if (!force && s != Status.STOPPED && s != Status.CREATED) {
            throw new JruncException("cannot delete container " + id + " that is not stopped: " + s.value());
        }
        destroy(r, s);
    }

    /** Kills what is left, removes the cgroup and the state, then runs the poststop hooks (warnings only). */
    void destroy(ContainerRecord r, Status s) {
        CgroupManager cgroup = r.systemdUnit.isEmpty()
                ? cgroups.forRecorded(r.cgroupPaths, r.createdCgroups)
                : cgroups.forRecordedUnit(r.systemdUnit, r.cgroupPaths, r.createdCgroups);
        // a half-made create reads as stopped while its init may live on: without a cgroup to empty (rootless)
        // only the init says there is something to kill
        if (s != Status.STOPPED || !r.cgroupPaths.isEmpty() || host.probe().initAlive(r)) {
            killEverything(r, cgroup);
        }
        if (r.monitorPid > 0) {
            MonitorStop.stop(processes, r);
        }
        cgroup.destroy();
        if (r.mountNamespace.equals(ContainerRecord.INHERITED)) {
            SharedNamespaceMounts.unmountAdded(host.syscalls().get(), r.rootfs, r.rootfsMountsBefore);
        }
        store.remove(r.id);
        if (!r.poststopHooks.isEmpty()) {
            String state = JsonWriter.compact(StateView.forHooks(r, "stopped", 0));
            List<String> failures = host.hooks()
                    .over(host.syscalls().get())
                    .runAllReportingFailures("poststop", r.poststopHooks, state);
            for (String f : failures) {
                Log.warn(f);
            }
        }
    }

    private void killEverything(ContainerRecord r, CgroupManager cgroup) {
        if (host.probe().initAlive(r)) {
            processes.signal(r.initPid, Signals.SIGKILL);
        }
        if (!cgroup.pids().isEmpty()) {
            cgroup.killAll(Signals.SIGKILL, processes);
        }
        // the init is somebody's child; only its exit, not its reaping, is ours to wait for
        for (int i = 0; i < 1000; i++) {
            boolean initGone = r.initPid <= 0 || !processes.isSameLiveProcess(r.initPid, r.initStartTicks);
            if (initGone && cgroup.pids().isEmpty()) {
                return;
            }
            Pause.millis(10);
        }
        throw new JruncException("container " + r.id + " still has processes after SIGKILL");
    }
}
