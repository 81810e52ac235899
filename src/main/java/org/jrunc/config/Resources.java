package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** linux.resources: the cgroup limits (config-linux.md "Control groups"); also the input of `update --resources`. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Resources(
        List<DeviceRule> devices,
        MemoryResources memory,
        CpuResources cpu,
        PidsResources pids,
        BlockIo blockIO,
        List<HugepageLimit> hugepageLimits,
        NetworkResources network,
        Map<String, RdmaLimit> rdma,
        Map<String, String> unified) {

    /** These resources with {@code rules} as the device rules. */
    public Resources withDevices(List<DeviceRule> rules) {
        return new Resources(rules, memory, cpu, pids, blockIO, hugepageLimits, network, rdma, unified);
    }
}
