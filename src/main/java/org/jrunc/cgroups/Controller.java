package org.jrunc.cgroups;

/**
 * The cgroup controllers linux.resources maps to, with their v1 and v2 names. A null v2 name means v2 has no such
 * controller: net_cls and net_prio are gone, cpuacct's numbers are in the core file cpu.stat, and devices is an eBPF
 * program rather than a controller.
 */
public enum Controller {
    CPU("cpu", "cpu"),
    CPUACCT("cpuacct", null),
    CPUSET("cpuset", "cpuset"),
    MEMORY("memory", "memory"),
    PIDS("pids", "pids"),
    BLKIO("blkio", "io"),
    HUGETLB("hugetlb", "hugetlb"),
    RDMA("rdma", "rdma"),
    NET_CLS("net_cls", null),
    NET_PRIO("net_prio", null),
    DEVICES("devices", null);

    public final String v1Name;
    public final String v2Name;

    Controller(String v1Name, String v2Name) {
        this.v1Name = v1Name;
        this.v2Name = v2Name;
    }
}
