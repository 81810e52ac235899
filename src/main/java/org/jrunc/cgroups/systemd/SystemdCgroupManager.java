package org.jrunc.cgroups.systemd;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.OomCounter;
import org.jrunc.config.Resources;

/**
 * A container's cgroup as a systemd unit, the way runc's systemd managers keep one: create starts the transient unit
 * around the init with the resources systemd knows as properties ({@link ResourceProperties}), then the cgroupfs
 * manager over the unit's directories makes what systemd does not (the v1 hierarchies systemd leaves alone: cpuset,
 * freezer, net_cls...), moves the init into those, and writes every resource to the files; update sets the properties
 * again, then the files; delete stops the unit, then removes what jrunc made. Processes, the freezer, kill --all,
 * statistics and OOM counts are the cgroupfs manager's, on the same directories.
 */
final class SystemdCgroupManager implements CgroupManager {
    private final SystemdCgroupManagers env;
    private final String unit;
    /** The slice a new unit goes in; null for a recorded container. */
    private final String slice;
    /** The cgroupfs manager of the unit's directories, which does all file work. */
    private final CgroupManager files;
    /** Whether systemd may hold a unit of ours: a start was asked for, or the container is recorded. */
    private boolean unitAsked;

    SystemdCgroupManager(SystemdCgroupManagers env, String unit, String slice, CgroupManager files) {
        this.env = env;
        this.unit = unit;
        this.slice = slice;
        this.files = files;
    }

    SystemdCgroupManager(SystemdCgroupManagers env, String unit, CgroupManager files) {
        this.env = env;
        this.unit = unit;
        this.slice = null;
        this.files = files;
        this.unitAsked = true;
    }

    @Override
    public Map<String, String> paths() {
        return files.paths();
    }

    @Override
    public List<String> createdDirs() {
        return files.createdDirs();
    }

    @Override
    public boolean madeAroundProcess() {
        return true;
    }

    @Override
    public void create() {
        throw new IllegalStateException("a systemd unit is made around its first process: createAround()");
    }

    @Override
    public List<String> createAround(int pid, Resources r) {
        if (slice == null) {
            throw new IllegalStateException("the unit of a recorded container exists already");
        }
        ResourceProperties.Converted converted = env.properties(r, "config.json");
        List<UnitProperty> properties = new ArrayList<>();
        properties.add(UnitProperty.string("Description", "jrunc container " + unit));
        if (unit.endsWith(".slice")) {
            properties.add(UnitProperty.strings("Wants", List.of(slice)));
        } else {
            properties.add(UnitProperty.string("Slice", slice));
            properties.add(UnitProperty.bool("Delegate", true));
            properties.add(UnitProperty.pids("PIDs", List.of(pid)));
        }
        properties.add(UnitProperty.bool("DefaultDependencies", false));
        properties.addAll(env.accounting());
        properties.addAll(converted.properties());
        try (SystemdBus bus = env.openBus()) {
            unitAsked = true;
            bus.startTransientUnit(unit, properties);
        }
        files.create();
        join(pid);
        List<String> warnings = new ArrayList<>(converted.warnings());
        warnings.addAll(files.apply(r));
        return warnings;
    }

    /**
     * The process into the unit's directory in every hierarchy, as runc's managers join the hierarchies systemd does
     * not manage: systemd placed it in its own (a scope's PIDs), and writing it there again changes nothing.
     */
    private void join(int pid) {
        for (String dir : new LinkedHashSet<>(files.paths().values())) {
            Path procs = Path.of(dir, "cgroup.procs");
            try {
                env.files().write(procs, Integer.toString(pid));
            } catch (IOException e) {
                throw new JruncException("cannot move the container's init into " + procs + ": " + e.getMessage());
            }
        }
    }

    @Override
    public List<String> apply(Resources r) {
        return set(r, "config.json");
    }

    @Override
    public List<String> update(Resources r) {
        return set(r, "update");
    }

    /** Checked first, so that a value the files refuse leaves the unit's properties as they were. */
    private List<String> set(Resources r, String origin) {
        env.check(files.paths(), r, origin);
        ResourceProperties.Converted converted = env.properties(r, origin);
        if (!converted.properties().isEmpty()) {
            try (SystemdBus bus = env.openBus()) {
                bus.setUnitProperties(unit, converted.properties());
            }
        }
        List<String> warnings = new ArrayList<>(converted.warnings());
        warnings.addAll(origin.equals("update") ? files.update(r) : files.apply(r));
        return warnings;
    }

    @Override
    public List<Integer> pids() {
        return files.pids();
    }

    @Override
    public boolean isFrozen() {
        return files.isFrozen();
    }

    @Override
    public void freeze() {
        files.freeze();
    }

    @Override
    public void thaw() {
        files.thaw();
    }

    @Override
    public void killAll(int signal, Signaller signaller) {
        files.killAll(signal, signaller);
    }

    @Override
    public Map<String, Object> stats() {
        return files.stats();
    }

    @Override
    public OomCounter watchOom() {
        return files.watchOom();
    }

    /**
     * Stops the unit (systemd removes its directories; a scope whose processes all exited has stopped by itself and
     * is gone already) and clears a failed state, then removes the directories jrunc made.
     */
    @Override
    public void destroy() {
        if (unitAsked) {
            try (SystemdBus bus = env.openBus()) {
                stop(bus);
                bus.resetFailedUnit(unit);
            }
        }
        files.destroy();
    }

    /** StopUnit; a failure matters only while a directory systemd made for the unit is still there. */
    private void stop(SystemdBus bus) {
        try {
            bus.stopUnit(unit);
        } catch (JruncException e) {
            for (String dir : files.paths().values()) {
                if (!files.createdDirs().contains(dir) && env.files().isDirectory(Path.of(dir))) {
                    throw e;
                }
            }
        }
    }
}
