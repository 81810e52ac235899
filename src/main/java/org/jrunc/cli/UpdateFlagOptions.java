package org.jrunc.cli;

import org.jrunc.config.Resources;
import org.jrunc.container.ContainerUpdate;
import org.jrunc.container.UpdateFlags;
import picocli.CommandLine.Option;

/** runc's per-field update flags. */
public final class UpdateFlagOptions {
    @Option(names = "--blkio-weight", description = "specifies per cgroup weight, range is from 10 to 1000")
    Integer blkioWeight;

    @Option(names = "--cpu-period", description = "CPU CFS period to be used for hardcapping (in usecs)")
    Long cpuPeriod;

    @Option(names = "--cpu-quota", description = "CPU CFS hardcap limit (in usecs)")
    Long cpuQuota;

    @Option(names = "--cpu-burst", description = "CPU CFS hardcap burst limit (in usecs)")
    Long cpuBurst;

    @Option(names = "--cpu-share", description = "CPU shares (relative weight vs. other containers)")
    Long cpuShare;

    @Option(names = "--cpu-rt-period", description = "CPU realtime period to be used for hardcapping (in usecs)")
    Long cpuRtPeriod;

    @Option(names = "--cpu-rt-runtime", description = "CPU realtime hardcap limit (in usecs)")
    Long cpuRtRuntime;

    @Option(names = "--cpuset-cpus", description = "CPU(s) to use")
    String cpusetCpus;

    @Option(names = "--cpuset-mems", description = "memory node(s) to use")
    String cpusetMems;

    @Option(names = "--cpu-idle", description = "set cgroup SCHED_IDLE or not, 0: default behavior, 1: SCHED_IDLE")
    Long cpuIdle;

    @Option(names = "--memory", description = "memory limit (in bytes, or with a k/m/g suffix)")
    String memory;

    @Option(names = "--memory-reservation", description = "memory reservation or soft limit")
    String memoryReservation;

    @Option(names = "--memory-swap", description = "total memory usage (memory + swap); -1 for unlimited")
    String memorySwap;

    @Option(names = "--pids-limit", description = "maximum number of pids allowed in the container")
    Long pidsLimit;

    @Option(names = "--l3-cache-schema", description = "not supported: Intel RDT is not available (rejected)")
    String l3CacheSchema;

    @Option(names = "--mem-bw-schema", description = "not supported: Intel RDT is not available (rejected)")
    String memBwSchema;

    @Option(
            names = {"--kernel-memory", "--kernel-memory-tcp"},
            hidden = true,
            description = "obsolete; ignored with a warning, as runc does")
    String kernelMemory;

    /** The same flags as parsed by {@link FastPath} (FastPathTest checks the names against picocli's). */
    static UpdateFlagOptions from(PlainArgs a) {
        UpdateFlagOptions o = new UpdateFlagOptions();
        o.blkioWeight = a.value("blkio-weight") == null ? null : Integer.valueOf(a.value("blkio-weight"));
        o.cpuPeriod = longValue(a, "cpu-period");
        o.cpuQuota = longValue(a, "cpu-quota");
        o.cpuBurst = longValue(a, "cpu-burst");
        o.cpuShare = longValue(a, "cpu-share");
        o.cpuRtPeriod = longValue(a, "cpu-rt-period");
        o.cpuRtRuntime = longValue(a, "cpu-rt-runtime");
        o.cpusetCpus = a.value("cpuset-cpus");
        o.cpusetMems = a.value("cpuset-mems");
        o.cpuIdle = longValue(a, "cpu-idle");
        o.memory = a.value("memory");
        o.memoryReservation = a.value("memory-reservation");
        o.memorySwap = a.value("memory-swap");
        o.pidsLimit = longValue(a, "pids-limit");
        o.l3CacheSchema = a.value("l3-cache-schema");
        o.memBwSchema = a.value("mem-bw-schema");
        o.kernelMemory = a.value("kernel-memory");
        return o;
    }

    private static Long longValue(PlainArgs a, String key) {
        return a.value(key) == null ? null : Long.valueOf(a.value(key));
    }

    /**
     * runc's rule: the resources from {@code --resources} (a file, or "-" for stdin) with the per-field flags laid
     * over them, or the flags alone.
     */
    Resources resources(String resourcesSource) {
        UpdateFlags f = toFlags();
        if (resourcesSource == null) {
            return f.toResources();
        }
        Resources r = ContainerUpdate.readResources(resourcesSource);
        return f.isEmpty() ? r : f.overlay(r);
    }

    UpdateFlags toFlags() {
        return new UpdateFlags(
                blkioWeight,
                cpuPeriod,
                cpuQuota,
                cpuBurst,
                cpuShare,
                cpuRtPeriod,
                cpuRtRuntime,
                cpusetCpus,
                cpusetMems,
                cpuIdle,
                memory,
                memoryReservation,
                memorySwap,
                pidsLimit,
                l3CacheSchema,
                memBwSchema,
                kernelMemory);
    }
}
