package org.jrunc.tools;

import java.util.List;
import java.util.Map;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.hooks.HookSpec;
import org.jrunc.stage.protocol.InitFds;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.rootfs.CgroupMountSource;
import org.jrunc.rootfs.DevicePlan;
import org.jrunc.rootfs.MountPlan;
import org.jrunc.rootfs.RootfsPlan;

/** A representative init plan with every part filled in, for training and tests. */
public final class SamplePlan {
    private SamplePlan() {
    }

    public static InitPlan create() {
        RootfsPlan rootfs = new RootfsPlan("/tmp/bundle/rootfs", true, 0, false,
                List.of(new MountPlan("proc", "/proc", "proc", 0, 0, 0, "", 0, 0, false)), true,
                List.of(new DevicePlan("/dev/null", 'c', 1, 3, 0666, 0, 0)), false, List.of("/proc/kcore"),
                List.of("/proc/sys"), false, List.of(new CgroupMountSource("memory", "/sys/fs/cgroup/memory/x",
                        "cgroup", "memory")), false);
        ProcessPlan process = new ProcessPlan(List.of("/bin/true"), List.of("PATH=/bin"), "/", false, 0, 0, 0, 0,
                new long[0], null, new CapabilityPlan(1, 1, 0, 1, 0), true,
                new ProcessPlan.SeccompPlan(new byte[] {6, 0, 0, 0, 0, 0, (byte) 0xff, 0x7f}, 0, false, null),
                List.of(new ProcessPlan.RlimitPlan(7, "RLIMIT_NOFILE", 1024, 1024)), null, null, null, null, null, 0);
        return new InitPlan("sample", rootfs, process, "host", null, Map.of(), null,
                List.of(new HookSpec("/bin/true", List.of("true"), null, 0)), List.of(), false,
                Map.of("ociVersion", "1.2.1", "id", "sample", "pid", 0L, "annotations", Map.of("a", "b")), false,
                new InitFds(4, -1, -1, -1, new int[] {5}));
    }
}
