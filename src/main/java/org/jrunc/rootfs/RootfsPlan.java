package org.jrunc.rootfs;

import java.util.List;

/**
 * Everything the init process needs to build the container's root filesystem.
 *
 * @param readonly root.readonly: the root is remounted read-only at the end
 * @param propagation linux.rootfsPropagation as MS_* flags, 0 for the default
 * @param noPivot --no-pivot: the root is entered with MS_MOVE and chroot instead of pivot_root
 * @param setupDev the init makes {@code devices} in /dev; false when config.json bind-mounts /dev
 * @param bindDevices the devices are bind-mounted from the host rather than made with mknod (in a user namespace)
 * @param cgroupV2Only the host has the unified hierarchy only, so /sys/fs/cgroup is one cgroup2 mount
 * @param cgroupNamespace the container has a cgroup namespace of its own (the init can mount cgroupfs itself)
 * @param ownMountNamespace the container has a new mount namespace; false when it inherits the runtime's or joins an
 *     existing one, which it shares with others: then nothing changes that namespace's propagation, the rootfs is not
 *     bound onto itself, and the init enters it with chroot, not pivot_root (crun's way; runc would pivot the joined
 *     namespace's root for everyone in it)
 */
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
        boolean cgroupNamespace,
        boolean ownMountNamespace) {

    /** A RootfsPlan built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the fields of a RootfsPlan by name, so that call sites say what they set instead of passing runs of nulls,
     * empties and unlabelled booleans. A field not set stays null, 0 or false. A plain class (no lambdas, no record
     * methods): cheap on the create, run and exec paths.
     */
    public static final class Builder {
        private String rootfs;
        private boolean readonly;
        private long propagation;
        private boolean noPivot;
        private List<MountPlan> mounts;
        private boolean setupDev;
        private List<DevicePlan> devices;
        private boolean bindDevices;
        private List<String> maskedPaths;
        private List<String> readonlyPaths;
        private boolean cgroupV2Only;
        private List<CgroupMountSource> cgroupSources;
        private boolean cgroupNamespace;
        private boolean ownMountNamespace;

        private Builder() {}

        public Builder rootfs(String v) {
            rootfs = v;
            return this;
        }

        public Builder readonly(boolean v) {
            readonly = v;
            return this;
        }

        public Builder propagation(long v) {
            propagation = v;
            return this;
        }

        public Builder noPivot(boolean v) {
            noPivot = v;
            return this;
        }

        public Builder mounts(List<MountPlan> v) {
            mounts = v;
            return this;
        }

        public Builder setupDev(boolean v) {
            setupDev = v;
            return this;
        }

        public Builder devices(List<DevicePlan> v) {
            devices = v;
            return this;
        }

        public Builder bindDevices(boolean v) {
            bindDevices = v;
            return this;
        }

        public Builder maskedPaths(List<String> v) {
            maskedPaths = v;
            return this;
        }

        public Builder readonlyPaths(List<String> v) {
            readonlyPaths = v;
            return this;
        }

        public Builder cgroupV2Only(boolean v) {
            cgroupV2Only = v;
            return this;
        }

        public Builder cgroupSources(List<CgroupMountSource> v) {
            cgroupSources = v;
            return this;
        }

        public Builder cgroupNamespace(boolean v) {
            cgroupNamespace = v;
            return this;
        }

        public Builder ownMountNamespace(boolean v) {
            ownMountNamespace = v;
            return this;
        }

        public RootfsPlan build() {
            return new RootfsPlan(
                    rootfs,
                    readonly,
                    propagation,
                    noPivot,
                    mounts,
                    setupDev,
                    devices,
                    bindDevices,
                    maskedPaths,
                    readonlyPaths,
                    cgroupV2Only,
                    cgroupSources,
                    cgroupNamespace,
                    ownMountNamespace);
        }
    }
}
