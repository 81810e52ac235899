package org.jrunc.rootfs;

import java.util.List;

/** Everything the init process needs to build the container's root filesystem. */
public record RootfsPlan(
        String rootfs,
        boolean readonly,
        long propagation,
        boolean noPivot,
        List<MountPlan> mounts,
        boolean setupDev,
        List<DevicePlan> devices,
        boolean bindDevices,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        boolean cgroupV2Only,
        List<CgroupMountSource> cgroupSources,
        boolean cgroupNamespace) {
}
