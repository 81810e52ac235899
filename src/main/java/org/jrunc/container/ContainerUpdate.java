package org.jrunc.container;

import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.config.Resources;
import org.jrunc.config.SpecLoader;
import org.jrunc.log.Log;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.Status;

/** `update`: new limits for a live container, from --resources (a LinuxResources JSON, "-" for stdin) or flags. */
public final class ContainerUpdate {
    private final ContainerHost host;
    private final StateStore store;
    private final CgroupManager.Factory cgroups;

    public ContainerUpdate(ContainerHost host) {
        this.host = host;
        this.store = host.store();
        this.cgroups = host.cgroups();
    }

    /** Reads --resources: a file, or "-" for stdin (what containerd sends). */
    public static Resources readResources(String source) {
        if (source.equals("-")) {
            return SpecLoader.read(System.in, "resources (stdin)", Resources.class);
        }
        return SpecLoader.read(Path.of(source), Resources.class);
    }

    public void update(String id, Resources r) {
        ContainerRecord rec = store.load(id);
        Status s = host.probe().status(rec, store.fifo(id));
        if (s == Status.STOPPED || s == Status.CREATING) {
            throw new JruncException("container not running");
        }
        List<String> warnings = (rec.systemdUnit.isEmpty()
                        ? cgroups.forRecorded(rec.cgroupPaths, rec.createdCgroups)
                        : cgroups.forRecordedUnit(rec.systemdUnit, rec.cgroupPaths, rec.createdCgroups))
                .update(r);
        warnings.forEach(Log::warn);
    }
}
