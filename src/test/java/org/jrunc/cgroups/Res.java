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
record Res(List<DeviceRule> devices, MemoryResources memory, CpuResources cpu, PidsResources pids, BlockIo blockIO,
        List<HugepageLimit> hugepageLimits, NetworkResources network, Map<String, RdmaLimit> rdma,
        Map<String, String> unified) {

    static Res of() {
        return new Res(null, null, null, null, null, null, null, null, null);
    }

    Resources build() {
        return new Resources(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    Res devices(DeviceRule... rules) {
        return new Res(List.of(rules), memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    Res memory(MemoryResources m) {
        return new Res(devices, m, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    /** limit, reservation, swap. */
    Res memory(Long limit, Long reservation, Long swap) {
        return memory(new MemoryResources(limit, reservation, swap, null, null, null, null, null, null));
    }

    Res cpu(CpuResources c) {
        return new Res(devices, memory, c, pids, blockIO, hugepageLimits, network, rdma, unified);
    }

    /** shares, quota, burst, period. */
    Res cpu(Long shares, Long quota, Long burst, Long period) {
        return cpu(new CpuResources(shares, quota, burst, period, null, null, null, null, null));
    }

    Res pids(long limit) {
        return new Res(devices, memory, cpu, new PidsResources(limit), blockIO, hugepageLimits, network, rdma,
                unified);
    }

    Res blockIO(BlockIo b) {
        return new Res(devices, memory, cpu, pids, b, hugepageLimits, network, rdma, unified);
    }

    Res hugepages(HugepageLimit... limits) {
        return new Res(devices, memory, cpu, pids, blockIO, List.of(limits), network, rdma, unified);
    }

    Res network(NetworkResources n) {
        return new Res(devices, memory, cpu, pids, blockIO, hugepageLimits, n, rdma, unified);
    }

    Res rdma(Map<String, RdmaLimit> r) {
        return new Res(devices, memory, cpu, pids, blockIO, hugepageLimits, network, r, unified);
    }

    Res unified(Map<String, String> u) {
        return new Res(devices, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, u);
    }
}
