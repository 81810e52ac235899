package org.jrunc.cgroups;

import java.util.EnumSet;
import java.util.Set;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.Resources;

/**
 * Which controllers a linux.resources object asks something of. One definition for the validator (which requires
 * those controllers), the writers (which skip the rest) and controller enabling on v2. 0 means unset, as in runc.
 */
public final class RequestedControllers {
    private RequestedControllers() {}

    public static Set<Controller> of(Resources r) {
        Set<Controller> s = EnumSet.noneOf(Controller.class);
        if (r == null) {
            return s;
        }
        if (memory(r.memory())) {
            s.add(Controller.MEMORY);
        }
        if (cpu(r.cpu())) {
            s.add(Controller.CPU);
        }
        if (cpuset(r.cpu())) {
            s.add(Controller.CPUSET);
        }
        if (r.pids() != null && r.pids().limit() != null) {
            s.add(Controller.PIDS);
        }
        if (blockIo(r.blockIO())) {
            s.add(Controller.BLKIO);
        }
        if (r.hugepageLimits() != null && !r.hugepageLimits().isEmpty()) {
            s.add(Controller.HUGETLB);
        }
        if (r.rdma() != null && !r.rdma().isEmpty()) {
            s.add(Controller.RDMA);
        }
        if (r.network() != null && r.network().classID() != null) {
            s.add(Controller.NET_CLS);
        }
        if (r.network() != null
                && r.network().priorities() != null
                && !r.network().priorities().isEmpty()) {
            s.add(Controller.NET_PRIO);
        }
        if (r.devices() != null) {
            s.add(Controller.DEVICES);
        }
        return s;
    }

    static boolean memory(MemoryResources m) {
        return m != null
                && (nz(m.limit())
                        || nz(m.reservation())
                        || nz(m.swap())
                        || (m.swappiness() != null && m.swappiness() != -1)
                        || m.disableOOMKiller() != null);
    }

    static boolean cpu(CpuResources c) {
        return c != null
                && (nz(c.shares())
                        || nz(c.quota())
                        || nz(c.period())
                        || c.burst() != null
                        || nz(c.realtimeRuntime())
                        || nz(c.realtimePeriod())
                        || c.idle() != null);
    }

    static boolean cpuset(CpuResources c) {
        return c != null && (notEmpty(c.cpus()) || notEmpty(c.mems()));
    }

    static boolean blockIo(BlockIo b) {
        if (b == null) {
            return false;
        }
        if (nz(b.weight())
                || nz(b.leafWeight())
                || (b.weightDevice() != null && !b.weightDevice().isEmpty())) {
            return true;
        }
        for (IoThrottle t : IoThrottle.values()) {
            if (!t.of(b).isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static boolean nz(Number n) {
        return n != null && n.longValue() != 0;
    }

    /** A string field counts as set when it is neither null nor empty (cpu.cpus, cpu.mems). */
    static boolean notEmpty(String s) {
        return s != null && !s.isEmpty();
    }
}
