package org.jrunc.stage.protocol;

/**
 * What `exec` hands to its stage: the process, and descriptors the runtime opened for it (the container's mount
 * namespace, its cgroup.procs files, the console socket).
 *
 * @param errorPipe where the stage writes why the last steps before execve failed, once it has reported READY; the
 *                  runtime reads it until the execve closes it, so `exec` (--detach too) returns only once the
 *                  process runs, and fails if it never does. A pipe rather than the --log file: the stage is visible
 *                  inside the container, and a host file descriptor there could be reopened through /proc.
 */
public record ExecPlan(ProcessPlan process, int mountNamespace, int[] cgroupProcs, int console, int errorPipe) {
}
