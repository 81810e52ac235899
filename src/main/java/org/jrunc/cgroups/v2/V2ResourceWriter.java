package org.jrunc.cgroups.v2;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.cgroups.ControlFiles;
import org.jrunc.cgroups.DeviceAccessRule;
import org.jrunc.cgroups.IoThrottle;
import org.jrunc.cgroups.ResourceValidator;
import org.jrunc.cgroups.ResourceWriter;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.ThrottleDevice;
import org.jrunc.config.WeightDevice;
import org.jrunc.sys.Errno;

/**
 * linux.resources on cgroup v2 interface files, converting the v1-shaped values the way runc's fs2 driver does (see
 * {@link V2Conversions}). Fields v2 cannot express were rejected or turned into warnings by the validator.
 */
public final class V2ResourceWriter extends ResourceWriter {
    private final DeviceFilter.Installer installer;

    public V2ResourceWriter(ControlFiles io, List<String> warnings, DeviceFilter.Installer installer) {
        super(io, warnings);
        this.installer = installer;
    }

    @Override
    protected String hugetlbSuffix() {
        return ".max";
    }

    @Override
    public void memory(String dir, MemoryResources m, boolean update) {
        long limit = orZero(m.limit());
        long swap = orZero(m.swap());
        if (limit != 0 || swap != 0) {
            long base = limit;
            if (update && limit == 0 && swap > 0) {
                // an update may change swap alone: convert it against the limit the cgroup has now
                Long current = io.getU64(dir, "memory.max");
                base = current == null ? 0 : current;
            }
            Long swapMax;
            try {
                swapMax = V2Conversions.swapMax(swap, base);
            } catch (IllegalArgumentException e) {
                throw new JruncException("linux.resources.memory.swap: " + swap + " " + e.getMessage());
            }
            // without swap accounting (no memory.swap.max) there is no swap to lift or to forbid
            if (swapMax != null && !(swapMax <= 0 && !io.has(dir, "memory.swap.max"))) {
                io.set(dir, "memory.swap.max", v2Limit(swapMax), "memory.swap");
            }
            if (limit != 0) {
                io.set(dir, "memory.max", v2Limit(limit), "memory.limit");
            }
        }
        if (orZero(m.reservation()) != 0) {
            io.set(dir, "memory.low", v2Limit(m.reservation()), "memory.reservation");
        }
    }

    /**
     * cpu.max is "QUOTA PERIOD" in one write. A field left out keeps what the cgroup has (at create: "max 100000"),
     * so an update of the period alone does not drop the quota.
     */
    @Override
    public void cpu(String dir, CpuResources c) {
        if (c.idle() != null) {
            io.set(dir, "cpu.idle", Long.toString(c.idle()), "cpu.idle");
        }
        long weight = V2Conversions.cpuWeight(orZero(c.shares()));
        if (weight != 0) {
            io.set(dir, "cpu.weight", Long.toString(weight), "cpu.shares");
        }
        long quota = orZero(c.quota());
        long period = orZero(c.period());
        boolean max = quota != 0 || period != 0;
        String burst = c.burst() != null ? Long.toString(c.burst()) : null;
        if (burst != null) {
            burst = io.setOrDefer(dir, "cpu.max.burst", burst, "cpu.burst", max);
        }
        if (max) {
            String[] current = currentCpuMax(dir);
            String q = quota == 0 ? current[0] : quota < 0 ? "max" : Long.toString(quota);
            String p = period == 0 ? current[1] : Long.toString(period);
            io.set(dir, "cpu.max", q + " " + p, quota != 0 ? "cpu.quota" : "cpu.period");
            if (burst != null) {
                io.set(dir, "cpu.max.burst", burst, "cpu.burst");
            }
        }
    }

    /** A limit as a cgroup v2 file wants it: -1 is "max". */
    private static String v2Limit(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }

    private String[] currentCpuMax(String dir) {
        String s = io.get(dir, "cpu.max");
        String[] f = s == null ? new String[0] : s.split("\\s+");
        return new String[] {f.length > 0 ? f[0] : "max", f.length > 1 ? f[1] : "100000"};
    }

    /**
     * BFQ's io.bfq.weight takes the v1 range unchanged; without BFQ, io.weight takes the converted value. Per-device
     * weights go to io.bfq.weight where BFQ accepts them (kernel 5.4+), else to io.weight.
     */
    @Override
    public void blockIo(String dir, BlockIo b) {
        boolean bfq = io.has(dir, "io.bfq.weight");
        boolean bfqPerDevice = bfq && bfqTakesDevices(dir); // asked before a plain weight is written into the file
        if (b.weight() != null && b.weight() != 0) {
            if (bfq) {
                io.set(dir, "io.bfq.weight", Integer.toString(b.weight()), "blockIO.weight");
            } else {
                io.set(dir, "io.weight", Long.toString(V2Conversions.ioWeight(b.weight())), "blockIO.weight");
            }
        }
        List<WeightDevice> wds = ResourceValidator.orEmpty(b.weightDevice());
        for (int i = 0; i < wds.size(); i++) {
            WeightDevice wd = wds.get(i);
            if (wd.weight() == null || wd.weight() == 0) {
                continue;
            }
            String dev = device(wd.major(), wd.minor());
            String field = "blockIO.weightDevice[" + i + "].weight";
            if (bfqPerDevice) {
                io.set(
                        dir,
                        "io.bfq.weight",
                        dev + " " + wd.weight(),
                        field,
                        errno -> errno == Errno.ENOTSUP
                                ? blockDevice(wd.major(), wd.minor()) + " does not use the bfq I/O scheduler"
                                : null);
            } else {
                io.set(
                        dir,
                        "io.weight",
                        dev + " " + V2Conversions.ioWeight(wd.weight()),
                        field,
                        errno -> errno == Errno.EIO || errno == Errno.ENOTSUP
                                ? "without bfq, a per-device weight needs io.cost " + "enabled for "
                                        + blockDevice(wd.major(), wd.minor()) + " in the root's io.cost.qos"
                                : null);
            }
        }
        for (IoThrottle kind : IoThrottle.values()) {
            List<ThrottleDevice> tds = kind.of(b);
            for (int i = 0; i < tds.size(); i++) {
                ThrottleDevice td = tds.get(i);
                // v1 removes a throttle with 0, v2 refuses 0 (ERANGE) and spells "no limit" as max
                String rate = td.rate() == 0 || td.rate() == -1 ? "max" : Long.toUnsignedString(td.rate());
                io.set(
                        dir,
                        "io.max",
                        device(td.major(), td.minor()) + " " + kind.v2Key + "=" + rate,
                        kind.field(i) + ".rate");
            }
        }
    }

    /** Kernels before 5.4 show io.bfq.weight as one number and take no per-device lines; newer ones show "default N". */
    private boolean bfqTakesDevices(String dir) {
        String s = io.get(dir, "io.bfq.weight");
        return s != null && !s.matches("\\d+");
    }

    @Override
    public void devices(String dir, List<DeviceAccessRule> rules) {
        installer.install(dir, DeviceFilter.program(rules));
    }
}
