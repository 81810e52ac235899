package org.jrunc.cgroups.manager;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.JruncException;
import org.jrunc.cgroups.CgroupFiles;
import org.jrunc.cgroups.CgroupLayout;
import org.jrunc.cgroups.ControlFiles;
import org.jrunc.cgroups.Controller;
import org.jrunc.cgroups.ControllerPlacement;
import org.jrunc.cgroups.DeviceRuleTranslator;
import org.jrunc.cgroups.HugePageSizes;
import org.jrunc.cgroups.KernelCgroupFiles;
import org.jrunc.cgroups.RequestedControllers;
import org.jrunc.cgroups.ResourceValidator;
import org.jrunc.cgroups.ResourceWriter;
import org.jrunc.cgroups.v1.V1ResourceWriter;
import org.jrunc.cgroups.v2.DeviceFilter;
import org.jrunc.cgroups.v2.SubtreeControl;
import org.jrunc.cgroups.v2.V2ResourceWriter;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.Resources;

/**
 * Applies linux.resources to a container's cgroup directories: what {@link CgroupfsManager#apply} (create) and
 * {@link CgroupfsManager#update} do.
 *
 * <p>Each resource goes to the hierarchy that carries its controller ({@link ControllerPlacement}): on a pure v2 host
 * everything goes to the unified directory; on a hybrid host most go to v1 hierarchies while e.g. hugetlb may be on
 * the unified one. Writers by interface version do the files ({@link V1ResourceWriter}, {@link V2ResourceWriter}).
 *
 * <pre>
 *   CgroupResources res = CgroupResources.host();
 *   res.validate(layout, cgroup.dirs(), r, false);          // before creating anything: errors only
 *   cgroup.create(files);
 *   List&lt;String&gt; warnings = res.apply(layout, cgroup.dirs(), r, false);
 * </pre>
 * A null {@code devices} list leaves device access alone; callers append the default devices (/dev/null, ...) to the
 * config's rules as runc does before calling.
 */
public final class CgroupResources {
    private final ControlFiles io;
    private final DeviceFilter.Installer installer;
    private final List<String> hugePageSizes;
    private final String origin;

    /**
     * @param origin first word of validation messages: "config.json", or what an update's values came from
     */
    public CgroupResources(
            CgroupFiles files, DeviceFilter.Installer installer, List<String> hugePageSizes, String origin) {
        this.io = new ControlFiles(files);
        this.installer = installer;
        this.hugePageSizes = List.copyOf(hugePageSizes);
        this.origin = origin;
    }

    /** The running kernel: cgroupfs files, bpf(2), this host's huge page sizes, messages about config.json. */
    public static CgroupResources host() {
        return new CgroupResources(
                KernelCgroupFiles.checked(), DeviceFilter.kernelInstaller(), HugePageSizes.ofHost(), "config.json");
    }

    public CgroupResources withOrigin(String newOrigin) {
        return new CgroupResources(io.files(), installer, hugePageSizes, newOrigin);
    }

    /**
     * Checks {@code r} against the spec and this host without writing anything; the directories need not exist.
     *
     * @return warnings for settings that will have no effect
     * @throws org.jrunc.config.ConfigException naming the first field that cannot be applied
     */
    public List<String> validate(CgroupLayout layout, Map<String, String> dirs, Resources r, boolean update) {
        return new ResourceValidator(
                        origin, ControllerPlacement.forApply(layout, dirs, io.files()), hugePageSizes, update)
                .validate(r);
    }

    /**
     * Validates, then writes every field of {@code r}. For an update (the cgroup is in use) checkBeforeUpdate is
     * honoured and write orders account for the limits already in place. Fields that are null are left as they are,
     * so an update may carry only what changes.
     *
     * @return the warnings (also those of validate), for the caller to log
     */
    public List<String> apply(CgroupLayout layout, Map<String, String> dirs, Resources r, boolean update) {
        ControllerPlacement placement = ControllerPlacement.forApply(layout, dirs, io.files());
        List<String> warnings =
                new ArrayList<>(new ResourceValidator(origin, placement, hugePageSizes, update).validate(r));
        if (r == null) {
            return warnings;
        }
        if (update) {
            checkBeforeUpdate(placement, r.memory());
        }
        Set<Controller> requested = RequestedControllers.of(r);
        enableV2Controllers(layout, placement, requested, r.unified());
        V1ResourceWriter v1 = new V1ResourceWriter(io, warnings);
        V2ResourceWriter v2 = new V2ResourceWriter(io, warnings, installer);
        // runc's order: cpuset before cpu (a v1 cpuset must be populated first), memory after devices
        for (Controller c : List.of(
                Controller.CPUSET,
                Controller.CPU,
                Controller.PIDS,
                Controller.DEVICES,
                Controller.MEMORY,
                Controller.BLKIO,
                Controller.HUGETLB,
                Controller.RDMA,
                Controller.NET_CLS,
                Controller.NET_PRIO)) {
            if (!requested.contains(c)) {
                continue;
            }
            ControllerPlacement.Target t = placement.of(c);
            ResourceWriter w = t.v2() ? v2 : v1;
            switch (c) {
                case CPUSET -> w.cpuset(t.dir(), r.cpu());
                case CPU -> w.cpu(t.dir(), r.cpu());
                case PIDS -> w.pids(t.dir(), r.pids().limit());
                case DEVICES -> w.devices(t.dir(), DeviceRuleTranslator.translate(r.devices(), origin));
                case MEMORY -> w.memory(t.dir(), r.memory(), update);
                case BLKIO -> w.blockIo(t.dir(), r.blockIO());
                case HUGETLB -> w.hugetlb(t.dir(), r.hugepageLimits());
                case RDMA -> w.rdma(t.dir(), r.rdma());
                // the validator let these through only where a v1 hierarchy has them
                case NET_CLS -> v1.netCls(t.dir(), r.network().classID());
                case NET_PRIO -> v1.netPrio(t.dir(), r.network().priorities());
                default -> throw new IllegalStateException(c.name());
            }
        }
        writeUnified(placement, r.unified());
        return warnings;
    }

    /**
     * Enables on the unified hierarchy the controllers the resources need there (an error if one cannot be), plus, on
     * a pure v2 host, every available controller (failures tolerated) as runc does, so that stats and later updates
     * find their files. On a hybrid host only the needed ones are touched: the unified hierarchy is shared there.
     */
    private void enableV2Controllers(
            CgroupLayout layout,
            ControllerPlacement placement,
            Set<Controller> requested,
            Map<String, String> unified) {
        if (placement.unifiedDir() == null || layout.unified() == null) {
            return;
        }
        Set<String> needed = new LinkedHashSet<>();
        for (Controller c : requested) {
            ControllerPlacement.Target t = placement.of(c);
            if (t.v2() && c.v2Name != null) {
                needed.add(c.v2Name);
            }
        }
        if (unified != null) {
            for (String key : unified.keySet()) {
                String controller = key.substring(0, key.indexOf('.'));
                if (!controller.equals("cgroup")) {
                    needed.add(controller);
                }
            }
        }
        Set<String> wanted = new LinkedHashSet<>(needed);
        if (layout.isUnifiedOnly()) {
            wanted.addAll(placement.unifiedControllers());
        }
        if (!wanted.isEmpty()) {
            SubtreeControl.enable(io, layout.unified().mountPoint(), placement.unifiedDir(), wanted, needed);
        }
    }

    /** linux.resources.unified, written last so it overrides converted values; one write per line (io.max). */
    private void writeUnified(ControllerPlacement placement, Map<String, String> unified) {
        if (unified == null) {
            return;
        }
        for (Map.Entry<String, String> e : unified.entrySet()) {
            for (String line : e.getValue().split("\n")) {
                if (!line.isEmpty() || e.getValue().isEmpty()) {
                    io.set(placement.unifiedDir(), e.getKey(), line, "unified[\"" + e.getKey() + "\"]");
                }
            }
        }
    }

    /**
     * memory.checkBeforeUpdate: refuse a limit at or below what the container uses now. v1 would refuse it anyway
     * (EBUSY), v2 would invoke the OOM killer instead. Best effort like runc: no readable usage, no check.
     */
    public void checkBeforeUpdate(CgroupLayout layout, Map<String, String> dirs, Resources r) {
        if (r != null) {
            checkBeforeUpdate(ControllerPlacement.forApply(layout, dirs, io.files()), r.memory());
        }
    }

    private void checkBeforeUpdate(ControllerPlacement placement, MemoryResources m) {
        if (m == null || !Boolean.TRUE.equals(m.checkBeforeUpdate())) {
            return;
        }
        ControllerPlacement.Target t = placement.of(Controller.MEMORY);
        if (t == null) {
            return;
        }
        Long usage = io.getU64(t.dir(), t.v2() ? "memory.current" : "memory.usage_in_bytes");
        if (usage == null) {
            return;
        }
        long swap = ResourceWriter.orZero(m.swap());
        long limit = ResourceWriter.orZero(m.limit());
        if (swap > 0 && Long.compareUnsigned(swap, usage) <= 0) {
            throw new JruncException(origin + ": field linux.resources.memory.swap: " + swap
                    + " is not above the current memory usage " + usage + " (checkBeforeUpdate)");
        }
        if (limit > 0 && Long.compareUnsigned(limit, usage) <= 0) {
            throw new JruncException(origin + ": field linux.resources.memory.limit: " + limit
                    + " is not above the current memory usage " + usage + " (checkBeforeUpdate)");
        }
    }
}
