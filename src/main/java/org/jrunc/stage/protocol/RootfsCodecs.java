package org.jrunc.stage.protocol;

import org.jrunc.rootfs.CgroupMountSource;
import org.jrunc.rootfs.DevicePlan;
import org.jrunc.rootfs.MountPlan;
import org.jrunc.rootfs.RootfsPlan;

/** The binary form of a {@link RootfsPlan} and the records in it; fields in declaration order. */
final class RootfsCodecs {
    private RootfsCodecs() {}

    static final FieldCodec<MountPlan> MOUNT = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, MountPlan m) {
            w.string(m.source());
            w.string(m.destination());
            w.string(m.type());
            w.i64(m.flags());
            w.i64(m.clearedFlags());
            w.i64(m.propagation());
            w.string(m.data());
            w.i64(m.recAttrSet());
            w.i64(m.recAttrClr());
            w.bool(m.tmpcopyup());
        }

        @Override
        public MountPlan read(PlanReader r) {
            return MountPlan.builder()
                    .source(r.string())
                    .destination(r.string())
                    .type(r.string())
                    .flags(r.i64())
                    .clearedFlags(r.i64())
                    .propagation(r.i64())
                    .data(r.string())
                    .recAttrSet(r.i64())
                    .recAttrClr(r.i64())
                    .tmpcopyup(r.bool())
                    .build();
        }
    };

    static final FieldCodec<DevicePlan> DEVICE = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, DevicePlan d) {
            w.string(d.path());
            w.i32(d.type());
            w.i64(d.major());
            w.i64(d.minor());
            w.i32(d.fileMode());
            w.i64(d.uid());
            w.i64(d.gid());
        }

        @Override
        public DevicePlan read(PlanReader r) {
            return DevicePlan.builder()
                    .path(r.string())
                    .type((char) r.i32())
                    .major(r.i64())
                    .minor(r.i64())
                    .fileMode(r.i32())
                    .uid(r.i64())
                    .gid(r.i64())
                    .build();
        }
    };

    static final FieldCodec<CgroupMountSource> CGROUP_SOURCE = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, CgroupMountSource c) {
            w.string(c.name());
            w.string(c.hostPath());
            w.string(c.fsType());
            w.string(c.options());
        }

        @Override
        public CgroupMountSource read(PlanReader r) {
            return new CgroupMountSource(r.string(), r.string(), r.string(), r.string());
        }
    };

    static final FieldCodec<RootfsPlan> ROOTFS = new FieldCodec<>() {
        @Override
        public void write(PlanWriter w, RootfsPlan p) {
            w.string(p.rootfs());
            w.bool(p.readonly());
            w.i64(p.propagation());
            w.bool(p.noPivot());
            w.list(p.mounts(), MOUNT);
            w.bool(p.setupDev());
            w.list(p.devices(), DEVICE);
            w.bool(p.bindDevices());
            w.strings(p.maskedPaths());
            w.strings(p.readonlyPaths());
            w.bool(p.cgroupV2Only());
            w.list(p.cgroupSources(), CGROUP_SOURCE);
            w.bool(p.cgroupNamespace());
            w.bool(p.ownMountNamespace());
        }

        @Override
        public RootfsPlan read(PlanReader r) {
            return RootfsPlan.builder()
                    .rootfs(r.string())
                    .readonly(r.bool())
                    .propagation(r.i64())
                    .noPivot(r.bool())
                    .mounts(r.list(MOUNT))
                    .setupDev(r.bool())
                    .devices(r.list(DEVICE))
                    .bindDevices(r.bool())
                    .maskedPaths(r.strings())
                    .readonlyPaths(r.strings())
                    .cgroupV2Only(r.bool())
                    .cgroupSources(r.list(CGROUP_SOURCE))
                    .cgroupNamespace(r.bool())
                    .ownMountNamespace(r.bool())
                    .build();
        }
    };
}
