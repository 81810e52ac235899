package org.jrunc.cgroups.manager;

import java.util.List;
import java.util.Map;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.cgroups.ContainerCgroup;
import org.jrunc.cgroups.HugePageSizes;
import org.jrunc.cgroups.KernelCgroupFiles;
import org.jrunc.cgroups.v2.DeviceFilter;

/**
 * Makes {@link CgroupfsManager}s over one environment: the cgroup files, the device-program installer, the huge page
 * sizes and the hierarchies. {@link #HOST} is this machine, each part looked up only by the calls that need it (kill
 * and delete must not pay for the huge page sizes or bpf(2)); tests give a fake tree.
 */
public final class CgroupfsManagers implements CgroupManager.Factory {
    /** This host: cgroupfs, bpf(2), /sys/kernel/mm/hugepages, /proc/self/mountinfo. */
    public static final CgroupfsManagers HOST = new CgroupfsManagers(null, null, null, null);

    private final CgroupLayout layout;
    private final CgroupFiles files;
    private final DeviceFilter.Installer installer;
    private final List<String> hugePageSizes;

    /** A made-up host: every argument null means this machine's (all or none). */
    public CgroupfsManagers(
            CgroupLayout layout, CgroupFiles files, DeviceFilter.Installer installer, List<String> hugePageSizes) {
        this.layout = layout;
        this.files = files;
        this.installer = installer;
        this.hugePageSizes = hugePageSizes;
    }

    @Override
    public CgroupManager forCreate(ContainerCgroup cgroup) {
        return new CgroupfsManager(this, cgroup);
    }

    @Override
    public CgroupManager forRecorded(Map<String, String> paths, List<String> createdDirs) {
        return new CgroupfsManager(this, paths, createdDirs);
    }

    /** For the freezer, pids, cgroup.kill and the directories: plain file I/O on the host. */
    CgroupFiles files() {
        return files != null ? files : KernelCgroupFiles.plain();
    }

    /** For statistics and OOM counts: missing files reported as such. */
    CgroupFiles controlFiles() {
        return files != null ? files : KernelCgroupFiles.checked();
    }

    CgroupLayout layout() {
        return layout != null ? layout : CgroupLayout.detect();
    }

    List<String> hugePageSizes() {
        return hugePageSizes != null ? hugePageSizes : HugePageSizes.ofHost();
    }

    /** The resource writers, their messages naming {@code origin} ("config.json" or "update"). */
    public CgroupResources resources(String origin) {
        if (files == null) {
            return CgroupResources.host().withOrigin(origin);
        }
        return new CgroupResources(files, installer, hugePageSizes, origin);
    }
}
