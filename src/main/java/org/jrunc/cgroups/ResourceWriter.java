package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.RdmaLimit;

/**
 * Writes one controller's part of linux.resources into one directory. {@link V1ResourceWriter} and
 * {@link V2ResourceWriter} differ where the interface files differ; the knobs both versions spell alike (pids.max,
 * cpuset.*, rdma.max, hugetlb limits up to their suffix) are written here. Input is validated already.
 */
public abstract class ResourceWriter {
    protected final ControlFiles io;
    protected final List<String> warnings;

    protected ResourceWriter(ControlFiles io, List<String> warnings) {
        this.io = io;
        this.warnings = warnings;
    }

    /** @param update the cgroup exists with earlier limits, which the write order must respect */
    public abstract void memory(String dir, MemoryResources m, boolean update);

    public abstract void cpu(String dir, CpuResources c);

    public abstract void blockIo(String dir, BlockIo b);

    public abstract void devices(String dir, List<DeviceAccessRule> rules);

    /** ".limit_in_bytes" (v1) or ".max" (v2). */
    protected abstract String hugetlbSuffix();

    public void cpuset(String dir, CpuResources c) {
        if (RequestedControllers.notEmpty(c.cpus())) {
            io.set(dir, "cpuset.cpus", c.cpus(), "cpu.cpus");
        }
        if (RequestedControllers.notEmpty(c.mems())) {
            io.set(dir, "cpuset.mems", c.mems(), "cpu.mems");
        }
    }

    /** -1 is "max"; 0 is a real limit (no new tasks), as config-linux.md asks. */
    public void pids(String dir, long limit) {
        io.set(dir, "pids.max", limit == -1 ? "max" : Long.toString(limit), "pids.limit");
    }

    /**
     * hugetlb.SIZE.limit, and the reservation limit hugetlb.SIZE.rsvd.limit (kernel 5.7+) where it exists: the spec
     * prefers reservation accounting, which fails an mmap instead of killing the process with SIGBUS at fault time.
     */
    public void hugetlb(String dir, List<HugepageLimit> limits) {
        String suffix = hugetlbSuffix();
        for (int i = 0; i < limits.size(); i++) {
            HugepageLimit h = limits.get(i);
            // "max" is accepted by both versions' page_counter_memparse; -1 only by v1
            String value = h.limit() == -1 ? "max" : Long.toUnsignedString(h.limit());
            String prefix = "hugetlb." + h.pageSize();
            String field = "hugepageLimits[" + i + "].limit";
            io.set(dir, prefix + suffix, value, field);
            if (io.has(dir, prefix + ".rsvd" + suffix)) {
                io.set(dir, prefix + ".rsvd" + suffix, value, field);
            }
        }
    }

    /** rdma.max takes "DEVICE hca_handle=N hca_object=M" with only the limits given; the same in v1 and v2. */
    public void rdma(String dir, Map<String, RdmaLimit> rdma) {
        for (Map.Entry<String, RdmaLimit> e : rdma.entrySet()) {
            RdmaLimit l = e.getValue();
            String line = e.getKey()
                    + (l.hcaHandles() != null ? " hca_handle=" + l.hcaHandles() : "")
                    + (l.hcaObjects() != null ? " hca_object=" + l.hcaObjects() : "");
            io.set(dir, "rdma.max", line, "rdma[\"" + e.getKey() + "\"]");
        }
    }

    public static long orZero(Long v) {
        return v == null ? 0 : v;
    }

    protected static String device(Long major, Long minor) {
        return major + ":" + minor;
    }

    /** "block device 8:0 (sda)", the name from /sys/dev/block when the device exists. */
    protected static String blockDevice(Long major, Long minor) {
        String dev = device(major, minor);
        try {
            return "block device " + dev + " ("
                    + Files.readSymbolicLink(Path.of("/sys/dev/block", dev)).getFileName() + ")";
        } catch (IOException | UnsupportedOperationException e) {
            return "block device " + dev;
        }
    }
}
