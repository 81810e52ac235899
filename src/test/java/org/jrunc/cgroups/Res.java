package org.jrunc.cgroups;

import java.util.List;
import java.util.Map;
import org.jrunc.config.BlockIo;
import org.jrunc.config.CpuResources;
import org.jrunc.config.DeviceRule;
import org.jrunc.config.HugepageLimit;
import org.jrunc.config.MemoryResources;
import org.jrunc.config.NetworkResources;
import org.jrunc.config.PidsResources;
import org.jrunc.config.RdmaLimit;
import org.jrunc.config.Resources;

/** Builds linux.resources objects for tests: each call returns a copy with one part set. */
public record Res(
        List<DeviceRule> devices,
        MemoryResources memory,
        CpuResources cpu,
        PidsResources pids,
        BlockIo blockIO,
        List<HugepageLimit> hugepageLimits,
        NetworkResources network,
        Map<String, RdmaLimit> rdma,
        Map<String, String> unified) {

    /** One linux.resources.devices entry. */
    public static DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new DeviceRule(allow, type, major, minor, access);
    }

    public static Res of() {
        return new Res(null, null, null, null, null, null, null, null, null);
    }

    public Resources build() {
        return new Resources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    public Res devices(DeviceRule... rules) {
        return new Res(List.of(rules), memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    public Res memory(MemoryResources m) {
        return new Res(devices, m, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    /** limit, reservation, swap. */
    public Res memory(Long limit, Long reservation, Long swap) {
        return memory(new MemoryResources(limit, reservation, swap, null, null, null, null, null, null));
    }

    public Res cpu(CpuResources c) {
        return new Res(devices, memory, c, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    /** shares, quota, burst, period. */
    public Res cpu(Long shares, Long quota, Long burst, Long period) {
        return cpu(new CpuResources(shares, quota, burst, period, null, null, null, null, null));
    }

    public Res pids(long limit) {
        return new Res(devices, memory, cpu, new PidsResources(limit), blockIO, hugepageLimits, network, rdma, unified);
    }

    public Res blockIO(BlockIo b) {
        return new Res(devices, memory, cpu, pids, b, hugepageLimits, network, rdma, unified);
    }

    public Res hugepages(HugepageLimit... limits) {
        return new Res(devices, memory, cpu, pids, blockIO, List.of(limits), network, rdma, unified);
    }

    public Res network(NetworkResources n) {
        return new Res(devices, memory, cpu, pids, blockIO, hugepageLimits, n, rdma, unified);
    }

    public Res rdma(Map<String, RdmaLimit> r) {
        return new Res(devices, memory, cpu, pids, blockIO, hugepageLimits, network, r, unified);
    }

    public Res unified(Map<String, String> u) {
        return new Res(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, u);
    }
}
