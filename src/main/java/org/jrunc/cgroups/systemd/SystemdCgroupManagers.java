package org.jrunc.cgroups.systemd;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.KernelCgroupFiles;
import org.jrunc.cgroups.manager.CgroupResources;
import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.config.Resources;

/**
 * The cgroup managers of both drivers: cgroupfs for a container planned or recorded without a unit, {@link
 * SystemdCgroupManager} for one with. {@link #HOST} is this machine with systemd on the system bus, which is all jrunc
 * supports: a rootless caller would need the user bus and a delegated user slice, and is refused at create
 * (CreatePlan). Loading this class loads no D-Bus code; {@link DbusSystemdBus} is reached only when a unit is.
 */
public final class SystemdCgroupManagers implements CgroupManager.Factory {
    public static final SystemdCgroupManagers HOST =
            new SystemdCgroupManagers(CgroupfsManagers.HOST, null, null, new SystemBus(), Path.of("/proc/devices"));

    /** systemd on the system bus; a class apart so that nothing of dbus-java loads before a unit is reached. */
    private static final class SystemBus implements SystemdBus.Opener {
        @Override
        public SystemdBus open() {
            return DbusSystemdBus.connect();
        }
    }

    private final CgroupfsManagers cgroupfs;
    private final CgroupLayout layout;
    private final CgroupFiles files;
    private final SystemdBus.Opener bus;
    private final Path procDevices;

    /**
     * @param cgroupfs the managers of the unit's directories
     * @param layout the hierarchies, or null for this host's (read on first need)
     * @param files the cgroup files the init's cgroup.procs are written through, or null for this host's
     * @param bus how systemd is reached
     * @param procDevices /proc/devices, for device groups in DeviceAllow
     */
    public SystemdCgroupManagers(
            CgroupfsManagers cgroupfs,
            CgroupLayout layout,
            CgroupFiles files,
            SystemdBus.Opener bus,
            Path procDevices) {
        this.cgroupfs = cgroupfs;
        this.layout = layout;
        this.files = files;
        this.bus = bus;
        this.procDevices = procDevices;
    }

    @Override
    public CgroupManager forCreate(ContainerCgroup cgroup) {
        return cgroupfs.forCreate(cgroup);
    }

    @Override
    public CgroupManager forRecorded(Map<String, String> paths, List<String> createdDirs) {
        return cgroupfs.forRecorded(paths, createdDirs);
    }

    @Override
    public CgroupManager forCreateUnit(ContainerCgroup cgroup, String slice, String unit) {
        return new SystemdCgroupManager(this, unit, slice, cgroupfs.forCreate(cgroup));
    }

    @Override
    public CgroupManager forRecordedUnit(String unit, Map<String, String> paths, List<String> createdDirs) {
        return new SystemdCgroupManager(this, unit, cgroupfs.forRecorded(paths, createdDirs));
    }

    SystemdBus openBus() {
        return bus.open();
    }

    CgroupFiles files() {
        return files != null ? files : KernelCgroupFiles.plain();
    }

    private CgroupLayout layout() {
        return layout != null ? layout : CgroupLayout.detect();
    }

    /** Whether systemd runs on cgroup v2 alone, and so takes v2's property names (MemoryMax, CPUWeight...). */
    private boolean unifiedOnly() {
        return layout().isUnifiedOnly();
    }

    /** The accounting runc turns on for a unit, so that systemd enables the controllers its properties need. */
    List<UnitProperty> accounting() {
        return List.of(
                UnitProperty.bool("MemoryAccounting", true),
                UnitProperty.bool("CPUAccounting", true),
                UnitProperty.bool(unifiedOnly() ? "IOAccounting" : "BlockIOAccounting", true),
                UnitProperty.bool("TasksAccounting", true));
    }

    ResourceProperties.Converted properties(Resources r, String origin) {
        String devices = r != null && r.devices() != null ? readProcDevices() : "";
        return ResourceProperties.of(r, unifiedOnly(), devices, origin);
    }

    /** linux.resources checked against the unit's directories before systemd gets any of it. */
    void check(Map<String, String> dirs, Resources r, String origin) {
        CgroupResources resources = cgroupfs.resources(origin);
        resources.validate(layout(), dirs, r, origin.equals("update"));
        resources.checkBeforeUpdate(layout(), dirs, r);
    }

    private String readProcDevices() {
        try {
            return Files.readString(procDevices);
        } catch (IOException e) {
            throw new JruncException("cannot read " + procDevices + ": " + e.getMessage());
        }
    }
}
