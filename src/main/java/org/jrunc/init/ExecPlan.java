package org.jrunc.init;


/**
 * What `exec` hands to its stage: the process, and descriptors the runtime opened for it (the container's mount
 * namespace, its cgroup.procs files, the console socket).
 */
public record ExecPlan(ProcessPlan process, int mountNamespace, int[] cgroupProcs, int console, int log,
                       boolean logJson) {
}
