package org.jrunc.stage.protocol;

/**
 * Descriptor numbers in the init process. -1 means absent.
 *
 * @param fifo O_PATH descriptor of exec.fifo (the container never sees the state directory itself)
 * @param console connected --console-socket
 * @param seccompListener connected linux.seccomp.listenerPath
 * @param log the --log file, opened for appending
 * @param containerCgroupProcs cgroup.procs of the container's cgroup in each hierarchy, opened by the runtime
 */
public record InitFds(int fifo, int console, int seccompListener, int log, int[] containerCgroupProcs) {}
