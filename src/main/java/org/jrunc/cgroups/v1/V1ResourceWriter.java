package org.jrunc.cgroups.v1;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupErrno;
import org.jrunc.cgroups.ControlFiles;
import org.jrunc.cgroups.DeviceAccessRule;
import org.jrunc.cgroups.DeviceEmulator;
import org.jrunc.cgroups.IoThrottle;
import org.jrunc.cgroups.ResourceValidator;
import org.jrunc.cgroups.ResourceWriter;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.InterfacePriority;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.ThrottleDevice;
import org.jrunc.config.WeightDevice;
import org.jrunc.sys.Errno;

/** linux.resources on cgroup v1 interface files, following runc's libcontainer/cgroups/fs. */
public final class V1ResourceWriter extends ResourceWriter {
    private static final String LIMIT = "memory.limit_in_bytes";
    private static final String MEMSW = "memory.memsw.limit_in_bytes";

    public V1ResourceWriter(ControlFiles io, List<String> warnings) {
        super(io, warnings);
    }

    @Override
    protected String hugetlbSuffix() {
        return ".limit_in_bytes";
    }

    /**
     * The kernel keeps memory.limit_in_bytes &lt;= memory.memsw.limit_in_bytes at every step, so when both change the
     * one written first depends on the direction: raising, memsw first; lowering, the limit first. Comparing the new
     * swap with the current limit picks the order that passes in both cases.
     */
    @Override
    public void memory(String dir, MemoryResources m, boolean update) {
        long limit = orZero(m.limit());
        long swap = orZero(m.swap());
        boolean memsw = io.has(dir, MEMSW);
        if (limit == -1 && swap == 0 && memsw) {
            swap = -1; // unlimited memory lifts memory+swap too, or the kernel refuses the limit above memsw
        }
        if (swap != 0 && !memsw) {
            warnings.add(
                    "linux.resources.memory.swap is ignored: swap accounting is off in this kernel (no " + MEMSW + ")");
            swap = 0;
        }
        boolean swapFirst = false;
        if (limit != 0 && swap != 0) {
            Long current = io.getU64(dir, LIMIT);
            swapFirst = swap == -1 || (current != null && Long.compareUnsigned(current, swap) < 0);
        }
        if (swapFirst) {
            io.set(dir, MEMSW, Long.toString(swap), "memory.swap");
        }
        if (limit != 0) {
            setLimit(dir, limit);
        }
        if (swap != 0 && !swapFirst) {
            io.set(dir, MEMSW, Long.toString(swap), "memory.swap");
        }
        if (orZero(m.reservation()) != 0) {
            io.set(dir, "memory.soft_limit_in_bytes", Long.toString(m.reservation()), "memory.reservation");
        }
        if (m.disableOOMKiller() != null) {
            io.set(dir, "memory.oom_control", m.disableOOMKiller() ? "1" : "0", "memory.disableOOMKiller");
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            io.set(dir, "memory.swappiness", Long.toString(m.swappiness()), "memory.swappiness");
        }
    }

    /** The limit, with the two refusals a user can act on explained (EBUSY: usage; EINVAL: memsw below). */
    private void setLimit(String dir, long limit) {
        String value = Long.toString(limit);
        IOException e = io.tryWrite(dir, LIMIT, value);
        if (e == null) {
            return;
        }
        int errno = CgroupErrno.of(e);
        if (errno == Errno.EBUSY) {
            throw new JruncException("linux.resources.memory.limit: cannot set " + limit + " on " + dir
                    + ": the current usage is " + io.get(dir, "memory.usage_in_bytes") + " (peak "
                    + io.get(dir, "memory.max_usage_in_bytes") + ")");
        }
        Long memswLimit = io.getU64(dir, MEMSW);
        if (errno == Errno.EINVAL && memswLimit != null && limit != -1 && Long.compareUnsigned(limit, memswLimit) > 0) {
            throw new JruncException("linux.resources.memory.limit: " + limit + " is above the current memory+swap "
                    + "limit " + memswLimit + " of " + dir + "; set linux.resources.memory.swap as well");
        }
        throw ControlFiles.failure(dir, LIMIT, value, "memory.limit", e);
    }

    @Override
    public void cpu(String dir, CpuResources c) {
        long shares = orZero(c.shares());
        if (shares != 0) {
            io.set(dir, "cpu.shares", Long.toString(shares), "cpu.shares");
            // the kernel clamps to [2, 262144] silently; runc reports it, and so do we
            Long got = io.getU64(dir, "cpu.shares");
            if (got != null && got != shares) {
                throw new JruncException("linux.resources.cpu.shares: " + shares
                        + " is out of range: the kernel allows " + (shares > got ? "at most " : "at least ") + got);
            }
        }
        long quota = orZero(c.quota());
        String period = orZero(c.period()) != 0 ? Long.toString(c.period()) : null;
        if (period != null) {
            period = io.setOrDefer(dir, "cpu.cfs_period_us", period, "cpu.period", quota != 0);
        }
        String burst = c.burst() != null ? Long.toString(c.burst()) : null;
        if (burst != null && !io.has(dir, "cpu.cfs_burst_us")) {
            warnings.add("linux.resources.cpu.burst is ignored: this kernel has no cpu.cfs_burst_us");
            burst = null;
        }
        if (burst != null) {
            burst = io.setOrDefer(dir, "cpu.cfs_burst_us", burst, "cpu.burst", quota != 0);
        }
        if (quota != 0) {
            io.set(dir, "cpu.cfs_quota_us", quota < 0 ? "-1" : Long.toString(quota), "cpu.quota");
            if (period != null) {
                io.set(dir, "cpu.cfs_period_us", period, "cpu.period");
            }
            if (burst != null) {
                io.set(dir, "cpu.cfs_burst_us", burst, "cpu.burst");
            }
        }
        if (c.idle() != null) {
            io.set(dir, "cpu.idle", Long.toString(c.idle()), "cpu.idle");
        }
        long rtRuntime = orZero(c.realtimeRuntime());
        String rtPeriod = orZero(c.realtimePeriod()) != 0 ? Long.toString(c.realtimePeriod()) : null;
        if (rtPeriod != null) {
            rtPeriod = io.setOrDefer(dir, "cpu.rt_period_us", rtPeriod, "cpu.realtimePeriod", rtRuntime != 0);
        }
        if (rtRuntime != 0) {
            io.set(
                    dir,
                    "cpu.rt_runtime_us",
                    Long.toString(rtRuntime),
                    "cpu.realtimeRuntime",
                    errno -> errno == Errno.EINVAL ? rtBudget(Path.of(dir).getParent()) : null);
            if (rtPeriod != null) {
                io.set(dir, "cpu.rt_period_us", rtPeriod, "cpu.realtimePeriod");
            }
        }
    }

    /** The kernel keeps the realtime runtimes of a cgroup's children within its own, which starts at 0 below the root. */
    private String rtBudget(Path parent) {
        String budget = io.get(parent.toString(), "cpu.rt_runtime_us");
        return budget == null
                ? null
                : "the realtime runtimes of a cgroup's children must fit in its own, and "
                        + parent.resolve("cpu.rt_runtime_us") + " is " + budget;
    }

    /** CFQ's blkio.weight where it still exists, else BFQ's blkio.bfq.weight (the only weight left since 5.0). */
    @Override
    public void blockIo(String dir, BlockIo b) {
        boolean cfq = io.has(dir, "blkio.weight");
        String weightFile = cfq ? "blkio.weight" : "blkio.bfq.weight";
        String weightDeviceFile = cfq ? "blkio.weight_device" : "blkio.bfq.weight_device";
        if (b.weight() != null && b.weight() != 0) {
            io.set(dir, weightFile, Integer.toString(b.weight()), "blockIO.weight");
        }
        if (b.leafWeight() != null && b.leafWeight() != 0) {
            leafWeight(dir, "blkio.leaf_weight", Integer.toString(b.leafWeight()), "blockIO.leafWeight");
        }
        List<WeightDevice> wds = ResourceValidator.orEmpty(b.weightDevice());
        for (int i = 0; i < wds.size(); i++) {
            WeightDevice wd = wds.get(i);
            String field = "blockIO.weightDevice[" + i + "]";
            if (wd.weight() != null && wd.weight() != 0) {
                io.set(
                        dir,
                        weightDeviceFile,
                        device(wd.major(), wd.minor()) + " " + wd.weight(),
                        field + ".weight",
                        errno -> errno == Errno.ENOTSUP
                                ? blockDevice(wd.major(), wd.minor()) + " does not use the " + (cfq ? "cfq" : "bfq")
                                        + " I/O scheduler"
                                : null);
            }
            if (wd.leafWeight() != null && wd.leafWeight() != 0) {
                leafWeight(
                        dir,
                        "blkio.leaf_weight_device",
                        device(wd.major(), wd.minor()) + " " + wd.leafWeight(),
                        field + ".leafWeight");
            }
        }
        for (IoThrottle kind : IoThrottle.values()) {
            List<ThrottleDevice> tds = kind.of(b);
            for (int i = 0; i < tds.size(); i++) {
                ThrottleDevice td = tds.get(i);
                // 0 removes a v1 throttle rule; the uint64 maximum (-1) means the same: no limit
                long rate = td.rate() == -1 ? 0 : td.rate();
                io.set(
                        dir,
                        kind.v1File,
                        device(td.major(), td.minor()) + " " + Long.toUnsignedString(rate),
                        kind.field(i) + ".rate");
            }
        }
    }

    /** Leaf weights were CFQ-only; kernels since 5.0 have no CFQ, so they have nothing to apply them to. */
    private void leafWeight(String dir, String file, String value, String field) {
        if (io.has(dir, file)) {
            io.set(dir, file, value, field);
        } else {
            warnings.add("linux.resources." + field + " is ignored: this kernel has no " + file + " (CFQ is gone)");
        }
    }

    public void netCls(String dir, long classId) {
        io.set(dir, "net_cls.classid", Long.toString(classId), "network.classID");
    }

    public void netPrio(String dir, List<InterfacePriority> priorities) {
        for (int i = 0; i < priorities.size(); i++) {
            InterfacePriority p = priorities.get(i);
            io.set(dir, "net_prio.ifpriomap", p.name() + " " + p.priority(), "network.priorities[" + i + "]");
        }
    }

    /**
     * Only the difference between devices.list and the target is written (runc's transition), so `update` never
     * passes through deny-all. A new cgroup lists "a *:* rwm", so create writes "a" to devices.deny and then the
     * allowed devices.
     */
    @Override
    public void devices(String dir, List<DeviceAccessRule> rules) {
        String list = io.get(dir, "devices.list");
        // without a readable list assume allow-all: its transition starts from a clean "deny a"
        DeviceEmulator current = list == null ? new DeviceEmulator(true) : DeviceEmulator.fromList(list);
        for (DeviceAccessRule r : current.transition(DeviceEmulator.of(rules))) {
            io.set(dir, r.allow() ? "devices.allow" : "devices.deny", r.v1Line(), "devices");
        }
    }
}
