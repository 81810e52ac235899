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
        return memoryField(m) != null;
    }

    /** The first memory field that asks something of the memory controller, as messages name it; null for none. */
    static String memoryField(MemoryResources m) {
        if (m == null) {
            return null;
        }
        if (nz(m.limit())) {
            return "memory.limit";
        }
        if (nz(m.reservation())) {
            return "memory.reservation";
        }
        if (nz(m.swap())) {
            return "memory.swap";
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            return "memory.swappiness";
        }
        return m.disableOOMKiller() != null ? "memory.disableOOMKiller" : null;
    }

    static boolean cpu(CpuResources c) {
        return cpuField(c) != null;
    }

    /** The first cpu field that asks something of the cpu controller, as messages name it; null for none. */
    static String cpuField(CpuResources c) {
        if (c == null) {
            return null;
        }
        if (nz(c.shares())) {
            return "cpu.shares";
        }
        if (nz(c.quota())) {
            return "cpu.quota";
        }
        if (nz(c.period())) {
            return "cpu.period";
        }
        if (c.burst() != null) {
            return "cpu.burst";
        }
        if (nz(c.realtimeRuntime())) {
            return "cpu.realtimeRuntime";
        }
        if (nz(c.realtimePeriod())) {
            return "cpu.realtimePeriod";
        }
        return c.idle() != null ? "cpu.idle" : null;
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
