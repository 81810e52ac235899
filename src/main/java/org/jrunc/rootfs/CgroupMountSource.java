package org.jrunc.rootfs;

/**
 * One cgroup hierarchy to show inside the container for a "cgroup" mount: its name under /sys/fs/cgroup (e.g.
 * "memory", "cpu,cpuacct", "unified", "systemd"), the container's directory in it on the host (bind-mounted when there
 * is no cgroup namespace), and the filesystem type and options to mount it afresh when there is one.
 */
public record CgroupMountSource(String name, String hostPath, String fsType, String options) {}
