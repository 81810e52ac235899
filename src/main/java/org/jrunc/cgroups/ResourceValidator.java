package org.jrunc.cgroups;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.jrunc.config.BlockIo;
import org.jrunc.config.ConfigException;
import org.jrunc.config.CpuResources;
import org.jrunc.config.DeviceRule;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.InterfacePriority;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.NetworkResources;
import org.jrunc.config.RdmaLimit;
import org.jrunc.config.Resources;
import org.jrunc.config.ThrottleDevice;
import org.jrunc.config.WeightDevice;

/**
 * Checks linux.resources against the spec and against this host's hierarchies before any cgroup is created or
 * written, so a config that cannot be applied fails without side effects. Errors are one-line ConfigExceptions naming
 * the field and value; settings that are accepted but have no effect come back as warnings.
 *
 * <p>Conventions shared with the writers: 0 in a limit means "unset" (as in runc), -1 means unlimited, and uint64
 * fields arrive as long bits, so a negative uint64 is a value above 2^63 and rejected.
 */
public final class ResourceValidator {
    /** The cgroup core files that are writable in a non-root cgroup; the rest (controllers, events, stat) are not. */
    private static final Set<String> WRITABLE_CORE_FILES = Set.of(
            "cgroup.type",
            "cgroup.procs",
            "cgroup.threads",
            "cgroup.subtree_control",
            "cgroup.max.descendants",
            "cgroup.max.depth",
            "cgroup.freeze",
            "cgroup.kill",
            "cgroup.pressure");

    private static final Pattern ID_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    private static final long MAX_U32 = 0xFFFFFFFFL;

    private final String origin;
    private final ControllerPlacement placement;
    private final List<String> hugePageSizes;
    private final boolean update;
    private final List<String> warnings = new ArrayList<>();

    /**
     * @param origin where the resources come from, the first word of every message ("config.json")
     * @param update true for `update`, where a swap without a limit is resolved against the cgroup's current limit
     */
    public ResourceValidator(String origin, ControllerPlacement placement, List<String> hugePageSizes, boolean update) {
        this.origin = origin;
        this.placement = placement;
        this.hugePageSizes = hugePageSizes;
        this.update = update;
    }

    public List<String> validate(Resources r) {
        if (r == null) {
            return warnings;
        }
        memory(r.memory());
        cpu(r.cpu());
        pids(r.pids() == null ? null : r.pids().limit());
        blockIo(r.blockIO());
        hugepages(r.hugepageLimits());
        network(r.network());
        rdma(r.rdma());
        devices(r.devices());
        unified(r.unified());
        return warnings;
    }

    private ConfigException fail(String field, String message) {
        return new ConfigException(origin + ": field linux.resources." + field + ": " + message);
    }

    private ConfigException invalid(String field, Object value, String why) {
        return fail(field, value + " " + why);
    }

    private void warn(String field, String why) {
        warnings.add("linux.resources." + field + " is ignored: " + why);
    }

    private ControllerPlacement.Target require(Controller c, String field) {
        ControllerPlacement.Target t = placement.of(c);
        if (t == null && placement.unwritable(c) != null) {
            throw fail(field, "needs a writable cgroup: " + placement.unwritable(c));
        }
        if (t == null && update) {
            // what create made is all there is: the host may lack the controller, or a rootless create could not
            // write its hierarchy and left it out
            throw fail(field, "the container has no " + c.v1Name + " cgroup to update");
        }
        if (t == null) {
            throw fail(
                    field,
                    "the " + c.v1Name + " cgroup controller is not available on this host"
                            + (c.v2Name == null && c != Controller.DEVICES
                                    ? " (cgroup v2 has no " + c.v1Name + ")"
                                    : ""));
        }
        return t;
    }

    /** -1 (unlimited), 0 (unset) or a positive amount. */
    private long limit(String field, Long v) {
        if (v == null) {
            return 0;
        }
        if (v < -1) {
            throw invalid(field, v, "is not a valid limit");
        }
        return v;
    }

    /** A uint64 that must stay below 2^63 to mean anything for the kernel. */
    private long unsigned(String field, Long v) {
        if (v == null) {
            return 0;
        }
        if (v < 0) {
            throw invalid(field, Long.toUnsignedString(v), "is out of range");
        }
        return v;
    }

    private void range(String field, Long v, long min, long max, String what) {
        if (v != null && (v < min || v > max)) {
            throw invalid(field, v, "is not a valid " + what + " (" + min + " to " + max + ")");
        }
    }

    private void memory(MemoryResources m) {
        if (m == null) {
            return;
        }
        long limit = limit("memory.limit", m.limit());
        limit("memory.reservation", m.reservation());
        long swap = limit("memory.swap", m.swap());
        if (m.kernel() != null) {
            warn("memory.kernel", "kernel memory limits are deprecated and not supported");
        }
        if (m.kernelTCP() != null) {
            warn("memory.kernelTCP", "kernel memory limits are deprecated and not supported");
        }
        if (Boolean.FALSE.equals(m.useHierarchy())) {
            warn("memory.useHierarchy", "the kernel always accounts memory hierarchically");
        }
        if (!RequestedControllers.memory(m)) {
            return;
        }
        ControllerPlacement.Target t = require(Controller.MEMORY, RequestedControllers.memoryField(m));
        if (swap > 0 && limit > 0 && swap < limit) {
            throw invalid(
                    "memory.swap",
                    swap,
                    "is below linux.resources.memory.limit " + limit + " (swap is the memory+swap limit)");
        }
        if (swap > 0 && limit == 0 && !update) {
            throw invalid("memory.swap", swap, "needs linux.resources.memory.limit (swap is the memory+swap limit)");
        }
        if (swap > 0 && limit == -1 && !t.v2()) {
            // v1 keeps memory <= memory+swap, so a finite memsw under an unlimited memory limit is refused (EINVAL)
            throw invalid(
                    "memory.swap",
                    swap,
                    "cannot be finite while linux.resources.memory.limit is -1 (unlimited) " + "on cgroup v1");
        }
        if (m.swappiness() != null && m.swappiness() != -1) {
            if (t.v2()) {
                warn("memory.swappiness", "cgroup v2 has no per-cgroup swappiness");
            } else if (m.swappiness() < 0 || m.swappiness() > 100) {
                throw invalid(
                        "memory.swappiness",
                        Long.toUnsignedString(m.swappiness()),
                        "is not a valid swappiness (0 to 100)");
            }
        }
        if (Boolean.TRUE.equals(m.disableOOMKiller()) && t.v2()) {
            warn("memory.disableOOMKiller", "cgroup v2 cannot disable the OOM killer");
        }
    }

    private void cpu(CpuResources c) {
        if (c == null) {
            return;
        }
        unsigned("cpu.shares", c.shares());
        long quota = c.quota() == null ? 0 : c.quota();
        if (quota < -1) {
            throw invalid("cpu.quota", quota, "is not a valid quota (-1 for unlimited)");
        }
        unsigned("cpu.period", c.period());
        long burst = unsigned("cpu.burst", c.burst());
        if (quota > 0 && burst > quota) {
            throw invalid("cpu.burst", burst, "is larger than linux.resources.cpu.quota " + quota);
        }
        long rtRuntime = c.realtimeRuntime() == null ? 0 : c.realtimeRuntime();
        if (rtRuntime < -1) {
            throw invalid("cpu.realtimeRuntime", rtRuntime, "is not a valid runtime (-1 for unlimited)");
        }
        long rtPeriod = unsigned("cpu.realtimePeriod", c.realtimePeriod());
        range("cpu.idle", c.idle(), 0, 1, "idle setting");
        idList("cpu.cpus", c.cpus());
        idList("cpu.mems", c.mems());
        if (RequestedControllers.cpu(c)) {
            ControllerPlacement.Target t = require(Controller.CPU, RequestedControllers.cpuField(c));
            if (t.v2() && rtRuntime != 0) {
                throw invalid("cpu.realtimeRuntime", rtRuntime, "cannot be applied: cgroup v2 has no realtime limits");
            }
            if (t.v2() && rtPeriod != 0) {
                throw invalid("cpu.realtimePeriod", rtPeriod, "cannot be applied: cgroup v2 has no realtime limits");
            }
        }
        if (RequestedControllers.cpuset(c)) {
            require(Controller.CPUSET, RequestedControllers.notEmpty(c.cpus()) ? "cpu.cpus" : "cpu.mems");
        }
    }

    private void idList(String field, String v) {
        if (RequestedControllers.notEmpty(v) && !ID_LIST.matcher(v.trim()).matches()) {
            throw invalid(field, "\"" + v + "\"", "is not a list like \"0-3,7\"");
        }
    }

    private void pids(Long limit) {
        if (limit == null) {
            return;
        }
        if (limit < -1) {
            throw invalid("pids.limit", limit, "is not a valid limit (-1 for unlimited)");
        }
        require(Controller.PIDS, "pids.limit");
    }

    private void blockIo(BlockIo b) {
        if (b == null) {
            return;
        }
        weight("blockIO.weight", b.weight());
        weight("blockIO.leafWeight", b.leafWeight());
        boolean leaf = b.leafWeight() != null && b.leafWeight() != 0;
        List<WeightDevice> wds = orEmpty(b.weightDevice());
        for (int i = 0; i < wds.size(); i++) {
            WeightDevice wd = wds.get(i);
            String f = "blockIO.weightDevice[" + i + "]";
            deviceNumbers(f, wd == null ? null : wd.major(), wd == null ? null : wd.minor());
            if (wd.weight() == null && wd.leafWeight() == null) {
                throw fail(f, "needs weight or leafWeight");
            }
            weight(f + ".weight", wd.weight());
            weight(f + ".leafWeight", wd.leafWeight());
            leaf |= wd.leafWeight() != null && wd.leafWeight() != 0;
        }
        for (IoThrottle kind : IoThrottle.values()) {
            List<ThrottleDevice> tds = kind.of(b);
            for (int i = 0; i < tds.size(); i++) {
                ThrottleDevice td = tds.get(i);
                deviceNumbers(kind.field(i), td == null ? null : td.major(), td == null ? null : td.minor());
                if (td.rate() == null) {
                    throw fail(kind.field(i) + ".rate", "is required");
                }
            }
        }
        if (RequestedControllers.blockIo(b)
                && require(Controller.BLKIO, "blockIO").v2()
                && leaf) {
            warn("blockIO.leafWeight", "cgroup v2 has no leaf weights");
        }
    }

    public static <T> List<T> orEmpty(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** Block IO weights: 0 is unset, else the v1 range; v2 values are converted from it. */
    private void weight(String field, Integer w) {
        if (w != null && w != 0) {
            range(field, (long) w, 10, 1000, "weight");
        }
    }

    private void deviceNumbers(String field, Long major, Long minor) {
        if (major == null || minor == null) {
            throw fail(field, "major and minor are required");
        }
        range(field + ".major", major, 0, MAX_U32, "device number");
        range(field + ".minor", minor, 0, MAX_U32, "device number");
    }

    private void hugepages(List<HugepageLimit> limits) {
        if (limits == null || limits.isEmpty()) {
            return;
        }
        for (int i = 0; i < limits.size(); i++) {
            HugepageLimit h = limits.get(i);
            String f = "hugepageLimits[" + i + "]";
            if (h == null || h.pageSize() == null || h.pageSize().isEmpty()) {
                throw fail(f + ".pageSize", "is required");
            }
            if (!hugePageSizes.contains(h.pageSize())) {
                throw invalid(
                        f + ".pageSize",
                        "\"" + h.pageSize() + "\"",
                        "is not a huge page size of this host ("
                                + (hugePageSizes.isEmpty() ? "none" : String.join(", ", hugePageSizes)) + ")");
            }
            if (h.limit() == null) {
                throw fail(f + ".limit", "is required");
            }
        }
        require(Controller.HUGETLB, "hugepageLimits");
    }

    private void network(NetworkResources n) {
        if (n == null) {
            return;
        }
        if (n.classID() != null) {
            range("network.classID", n.classID(), 0, MAX_U32, "class id");
            require(Controller.NET_CLS, "network.classID");
        }
        List<InterfacePriority> prios = orEmpty(n.priorities());
        for (int i = 0; i < prios.size(); i++) {
            InterfacePriority p = prios.get(i);
            String f = "network.priorities[" + i + "]";
            if (p == null || p.name() == null || p.name().isEmpty()) {
                throw fail(f + ".name", "is required");
            }
            if (p.priority() == null) {
                throw fail(f + ".priority", "is required");
            }
            range(f + ".priority", p.priority(), 0, MAX_U32, "priority");
        }
        if (!prios.isEmpty()) {
            require(Controller.NET_PRIO, "network.priorities");
        }
    }

    private void rdma(Map<String, RdmaLimit> rdma) {
        if (rdma == null || rdma.isEmpty()) {
            return;
        }
        for (Map.Entry<String, RdmaLimit> e : rdma.entrySet()) {
            String f = "rdma[\"" + e.getKey() + "\"]";
            if (e.getKey().isEmpty() || e.getKey().contains(" ")) {
                throw invalid("rdma", "\"" + e.getKey() + "\"", "is not a device name");
            }
            RdmaLimit l = e.getValue();
            if (l == null || (l.hcaHandles() == null && l.hcaObjects() == null)) {
                throw fail(f, "needs hcaHandles or hcaObjects");
            }
            range(f + ".hcaHandles", l.hcaHandles(), 0, MAX_U32, "limit");
            range(f + ".hcaObjects", l.hcaObjects(), 0, MAX_U32, "limit");
        }
        require(Controller.RDMA, "rdma");
    }

    private void devices(List<DeviceRule> rules) {
        if (rules == null) {
            return;
        }
        List<DeviceAccessRule> translated = DeviceRuleTranslator.translate(rules, origin);
        try {
            DeviceEmulator.of(translated);
        } catch (IllegalArgumentException e) {
            throw fail("devices", e.getMessage());
        }
        require(Controller.DEVICES, "devices");
    }

    private void unified(Map<String, String> unified) {
        if (unified == null || unified.isEmpty()) {
            return;
        }
        if (placement.unifiedUnwritable() != null) {
            throw fail("unified", "needs a writable cgroup: " + placement.unifiedUnwritable());
        }
        if (!placement.unifiedOnly()) {
            // runc's rule, on hybrid hosts too: the keys are v2 file names, which v1 hierarchies do not have
            throw fail(
                    "unified",
                    "cannot use unified on cgroup v1 (this host "
                            + (placement.unifiedDir() == null
                                    ? "has no cgroup v2 hierarchy"
                                    : "mounts v1 controllers next to its cgroup v2 hierarchy")
                            + ")");
        }
        for (Map.Entry<String, String> e : unified.entrySet()) {
            String key = e.getKey();
            String f = "unified[\"" + key + "\"]";
            int dot = key.indexOf('.');
            if (key.contains("/") || dot <= 0 || dot == key.length() - 1) {
                throw invalid(
                        "unified", "\"" + key + "\"", "is not a cgroup file name of the form <controller>.<file>");
            }
            if (e.getValue() == null) {
                throw fail(f, "needs a value");
            }
            String controller = key.substring(0, dot);
            if (controller.equals("cgroup")) {
                if (!WRITABLE_CORE_FILES.contains(key)) {
                    throw invalid("unified", "\"" + key + "\"", "is not a writable cgroup core file");
                }
            } else if (!placement.unifiedControllers().contains(controller)) {
                throw fail(
                        f,
                        "the cgroup v2 controller \"" + controller + "\" is not available (available: "
                                + (placement.unifiedControllers().isEmpty()
                                        ? "none"
                                        : String.join(" ", placement.unifiedControllers()))
                                + ")");
            }
        }
    }
}
