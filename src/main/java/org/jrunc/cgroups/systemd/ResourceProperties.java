package org.jrunc.cgroups.systemd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.cgroups.DeviceRuleTranslator;
import org.jrunc.cgroups.v2.V2Conversions;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.Resources;
import org.jrunc.sys.BitmaskList;

/**
 * linux.resources as the unit properties systemd knows, the ones runc's systemd managers set: on a v1 (or hybrid)
 * systemd MemoryLimit, CPUShares, BlockIOWeight; on v2 MemoryMax, MemoryLow, MemorySwapMax, CPUWeight (shares
 * converted as jrunc's v2 writer converts them), AllowedCPUs and AllowedMemoryNodes, and memory and pids values of
 * linux.resources.unified; on both CPUQuotaPerSecUSec and CPUQuotaPeriodUSec, TasksMax and the device rules. Unset (or
 * zero) fields give no property, so an update leaves them as they are. Everything else, and these again, is written to
 * the unit's cgroup files by jrunc's cgroupfs writers afterwards.
 */
public final class ResourceProperties {
    /** The kernel's default CFS period, which systemd assumes for a quota without one. */
    static final long DEFAULT_PERIOD_USEC = 100_000;

    /** The properties, and what could not be expressed (to log). */
    public record Converted(List<UnitProperty> properties, List<String> warnings) {}

    private ResourceProperties() {}

    /**
     * @param v2 whether systemd runs on the unified hierarchy alone (else it uses v1's property names)
     * @param procDevices /proc/devices, for wildcard device groups (unused without device rules)
     * @param origin what the values came from, for messages: "config.json" or "update"
     */
    public static Converted of(Resources r, boolean v2, String procDevices, String origin) {
        List<UnitProperty> out = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        if (r == null) {
            return new Converted(out, warnings);
        }
        if (r.devices() != null) {
            out.addAll(DeviceProperties.of(DeviceRuleTranslator.translate(r.devices(), origin), procDevices, warnings));
        }
        memory(out, r.memory(), v2);
        cpu(out, r.cpu(), v2);
        if (!v2) {
            blockIoWeight(out, r.blockIO());
        }
        if (r.pids() != null
                && r.pids().limit() != null
                && (r.pids().limit() > 0 || r.pids().limit() == -1)) {
            out.add(UnitProperty.uint64("TasksMax", r.pids().limit()));
        }
        if (v2) {
            unified(out, r.unified());
        }
        return new Converted(out, warnings);
    }

    private static void memory(List<UnitProperty> out, MemoryResources m, boolean v2) {
        if (m == null) {
            return;
        }
        long limit = nonNull(m.limit());
        if (limit != 0) {
            out.add(UnitProperty.uint64(v2 ? "MemoryMax" : "MemoryLimit", limit));
        }
        if (!v2) {
            return;
        }
        long reservation = nonNull(m.reservation());
        if (reservation != 0) {
            out.add(UnitProperty.uint64("MemoryLow", reservation));
        }
        Long swapMax = V2Conversions.swapMax(nonNull(m.swap()), limit);
        if (swapMax != null && swapMax != 0) {
            out.add(UnitProperty.uint64("MemorySwapMax", swapMax));
        }
    }

    private static void cpu(List<UnitProperty> out, CpuResources c, boolean v2) {
        if (c == null) {
            return;
        }
        long shares = nonNull(c.shares());
        if (shares != 0) {
            out.add(
                    v2
                            ? UnitProperty.uint64("CPUWeight", V2Conversions.cpuWeight(shares))
                            : UnitProperty.uint64("CPUShares", shares));
        }
        quota(out, nonNull(c.quota()), nonNull(c.period()));
        if (v2 && c.cpus() != null && !c.cpus().isEmpty()) {
            out.add(UnitProperty.bytes("AllowedCPUs", mask(c.cpus())));
        }
        if (v2 && c.mems() != null && !c.mems().isEmpty()) {
            out.add(UnitProperty.bytes("AllowedMemoryNodes", mask(c.mems())));
        }
    }

    /**
     * CPUQuotaPerSecUSec: systemd keeps the quota as time per second of CPU time and turns it into whole percents, so a
     * fraction is rounded up to the next 10 ms, else the cgroup's cpu.max would come out below what was asked. A
     * period alone (or a quota of -1) means no limit: infinity.
     */
    static void quota(List<UnitProperty> out, long quota, long period) {
        if (period != 0) {
            out.add(UnitProperty.uint64("CPUQuotaPeriodUSec", period));
        }
        if (quota == 0 && period == 0) {
            return;
        }
        long perSecond = UnitProperty.INFINITY;
        if (quota > 0) {
            long p = period == 0 ? DEFAULT_PERIOD_USEC : period;
            perSecond = Long.divideUnsigned(quota * 1_000_000, p);
            if (perSecond % 10_000 != 0) {
                perSecond = (perSecond / 10_000 + 1) * 10_000;
            }
        }
        out.add(UnitProperty.uint64("CPUQuotaPerSecUSec", perSecond));
    }

    private static void blockIoWeight(List<UnitProperty> out, BlockIo b) {
        if (b != null && b.weight() != null && b.weight() != 0) {
            out.add(UnitProperty.uint64("BlockIOWeight", b.weight()));
        }
    }

    /** The memory and pids keys of linux.resources.unified that systemd has properties for. */
    private static void unified(List<UnitProperty> out, Map<String, String> unified) {
        if (unified == null) {
            return;
        }
        String[][] names = {
            {"memory.min", "MemoryMin"},
            {"memory.low", "MemoryLow"},
            {"memory.high", "MemoryHigh"},
            {"memory.max", "MemoryMax"},
            {"memory.swap.max", "MemorySwapMax"},
            {"pids.max", "TasksMax"}
        };
        for (String[] n : names) {
            String v = unified.get(n[0]);
            if (v != null && !v.isBlank()) {
                String t = v.trim();
                out.add(UnitProperty.uint64(n[1], t.equals("max") ? UnitProperty.INFINITY : Long.parseUnsignedLong(t)));
            }
        }
    }

    /** A "0-3,7" list as systemd's CPU and node masks: little-endian bytes, bit i of byte k for id 8k+i. */
    static byte[] mask(String list) {
        long[] words = BitmaskList.parse(list);
        int highest = -1;
        for (int i = 0; i < words.length * 64; i++) {
            if ((words[i / 64] & (1L << (i % 64))) != 0) {
                highest = i;
            }
        }
        byte[] out = new byte[highest / 8 + 1];
        for (int i = 0; i <= highest; i++) {
            if ((words[i / 64] & (1L << (i % 64))) != 0) {
                out[i / 8] |= (byte) (1 << (i % 8));
            }
        }
        return out;
    }

    private static long nonNull(Long v) {
        return v == null ? 0 : v;
    }
}
