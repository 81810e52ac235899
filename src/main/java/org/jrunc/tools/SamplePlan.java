package org.jrunc.tools;

import java.util.List;
import java.util.Map;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.hooks.HookSpec;
import org.jrunc.rootfs.CgroupMountSource;
import org.jrunc.rootfs.DevicePlan;
import org.jrunc.rootfs.MountPlan;
import org.jrunc.rootfs.RootfsPlan;
import org.jrunc.stage.protocol.InitFds;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.ProcessPlan;

/** A representative init plan with every part filled in, for training and tests. */
public final class SamplePlan {
    private SamplePlan() {}

    public static InitPlan create() {
        RootfsPlan rootfs = RootfsPlan.builder()
                .rootfs("/tmp/bundle/rootfs")
                .readonly(true)
                .mounts(List.of(MountPlan.builder()
                        .source("proc")
                        .destination("/proc")
                        .type("proc")
                        .data("")
                        .build()))
                .setupDev(true)
                .devices(List.of(DevicePlan.builder()
                        .path("/dev/null")
                        .type('c')
                        .major(1)
                        .minor(3)
                        .fileMode(0666)
                        .build()))
                .maskedPaths(List.of("/proc/kcore"))
                .readonlyPaths(List.of("/proc/sys"))
                .cgroupSources(List.of(new CgroupMountSource("memory", "/sys/fs/cgroup/memory/x", "cgroup", "memory")))
                .build();
        ProcessPlan process = ProcessPlan.builder()
                .args(List.of("/bin/true"))
                .env(List.of("PATH=/bin"))
                .cwd("/")
                .additionalGids(new long[0])
                .capabilities(new CapabilityPlan(1, 1, 0, 1, 0))
                .noNewPrivileges(true)
                .seccomp(new ProcessPlan.SeccompPlan(new byte[] {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}, 0, false, null))
                .rlimits(List.of(new ProcessPlan.RlimitPlan(7, "RLIMIT_NOFILE", 1024, 1024)))
                .build();
        return InitPlan.builder()
                .containerId("sample")
                .rootfs(rootfs)
                .process(process)
                .hostname("host")
                .sysctl(Map.of())
                .createContainerHooks(List.of(new HookSpec("/bin/true", List.of("true"), null, 0)))
                .startContainerHooks(List.of())
                .stateJson(Map.of("ociVersion", "1.2.1", "id", "sample", "pid", 0L, "annotations", Map.of("a", "b")))
                .fds(InitFds.builder()
                        .fifo(4)
                        .containerCgroupProcs(new int[] {5})
                        .build())
                .build();
    }
}
