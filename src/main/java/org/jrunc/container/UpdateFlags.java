package org.jrunc.container;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrunc.JruncException;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.PidsResources;
import org.jrunc.config.Resources;
import org.jrunc.log.Log;

/** runc's `update` flags as a partial {@link Resources}: only the fields given are set. */
public record UpdateFlags(
        Integer blkioWeight,
        Long cpuPeriod,
        Long cpuQuota,
        Long cpuBurst,
        Long cpuShare,
        Long cpuRtPeriod,
        Long cpuRtRuntime,
        String cpusetCpus,
        String cpusetMems,
        Long cpuIdle,
        String memory,
        String memoryReservation,
        String memorySwap,
        Long pidsLimit,
        String l3CacheSchema,
        String memBwSchema,
        String kernelMemory) {

    public boolean isEmpty() {
        return toResources().equals(new Resources(null, null, null, null, null, null, null, null, null));
    }

    public Resources toResources() {
        if (l3CacheSchema != null || memBwSchema != null) {
            throw new JruncException("Intel RDT (--l3-cache-schema, --mem-bw-schema) is not available on this host");
        }
        if (kernelMemory != null) {
            Log.warn("--kernel-memory is obsolete and ignored");
        }
        MemoryResources mem = memory == null && memoryReservation == null && memorySwap == null
                ? null
                : new MemoryResources(
                        size(memory, "--memory"),
                        size(memoryReservation, "--memory-reservation"),
                        size(memorySwap, "--memory-swap"),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        CpuResources cpu = cpuPeriod == null
                        && cpuQuota == null
                        && cpuBurst == null
                        && cpuShare == null
                        && cpuRtPeriod == null
                        && cpuRtRuntime == null
                        && cpusetCpus == null
                        && cpusetMems == null
                        && cpuIdle == null
                ? null
                : new CpuResources(
                        cpuShare,
                        cpuQuota,
                        cpuBurst,
                        cpuPeriod,
                        cpuRtRuntime,
                        cpuRtPeriod,
                        cpusetCpus,
                        cpusetMems,
                        cpuIdle);
        BlockIo blkio = blkioWeight == null ? null : new BlockIo(blkioWeight, null, null, null, null, null, null);
        PidsResources pids = pidsLimit == null ? null : new PidsResources(pidsLimit);
        return new Resources(null, mem, cpu, pids, blkio, null, null, null, null);
    }

    /** The flags win over the same fields of a --resources document. */
    public Resources overlay(Resources base) {
        Resources f = toResources();
        return new Resources(
                base.devices(),
                f.memory() != null ? f.memory() : base.memory(),
                f.cpu() != null ? f.cpu() : base.cpu(),
                f.pids() != null ? f.pids() : base.pids(),
                f.blockIO() != null ? f.blockIO() : base.blockIO(),
                base.hugepageLimits(),
                base.network(),
                base.rdma(),
                base.unified());
    }

    /** runc's units.RAMInBytes: a number with an optional b/k/m/g/t/p suffix (binary), or -1. */
    static Long size(String v, String flag) {
        if (v == null) {
            return null;
        }
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.equals("-1")) {
            return -1L;
        }
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([kmgtp]?)(i?b)?").matcher(s);
        if (!m.matches()) {
            throw new JruncException("invalid value for " + flag + ": " + v);
        }
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            case "t" -> 40;
            case "p" -> 50;
            default -> 0;
        };
        return (long) (n * (1L << shift));
    }
}
