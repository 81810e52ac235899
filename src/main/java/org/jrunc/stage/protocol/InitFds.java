package org.jrunc.stage.protocol;

/**
 * Descriptor numbers in the init process. -1 means absent.
 *
 * @param fifo O_PATH descriptor of exec.fifo (the container never sees the state directory itself)
 * @param console connected --console-socket
 * @param seccompListener connected linux.seccomp.listenerPath
 * @param log the --log file, opened for appending
 * @param containerCgroupProcs cgroup.procs of the container's cgroup in each hierarchy, opened by the runtime
 * @param pidNamespace the pid namespace the container joins (a pod's), which the init itself is kept out of: it
 *     mounts /proc for it (procfs's pidns option) and clones the container's process into it
 * @param mountNamespace the mount namespace the container shares (the runtime's, or one joined by path), which the
 *     init enters after its JVM started: java and jrunc's files need not exist there
 * @param runtimeMountNamespace the runtime's mount namespace, when the init was spawned in a read-only copy of it (its
 *     JVM is visible in a pod's pid namespace) and the container has a new one: the init makes the container's as a
 *     copy of the runtime's instead of that copy, whose mounts are slaves, so that rshared binds stay peers of the
 *     host's (Kubernetes' Bidirectional propagation)
 * @param mountSources per mounts[] entry, a detached tree the runtime prepared (an idmapped bind mount, see
 *     {@link org.jrunc.rootfs.IdmappedTrees}) that the init moves onto the destination, or -1 for a mount the init
 *     makes itself; empty when there is none
 */
public record InitFds(
        int fifo,
        int console,
        int seccompListener,
        int log,
        int[] containerCgroupProcs,
        int pidNamespace,
        int mountNamespace,
        int runtimeMountNamespace,
        int[] mountSources) {

    public static Builder builder() {
        return new Builder();
    }

    /**
     * InitFds one named descriptor at a time; every descriptor not set is -1 (absent), the cgroup.procs and mount
     * sources none.
     */
    public static final class Builder {
        private int fifo = -1;
        private int console = -1;
        private int seccompListener = -1;
        private int log = -1;
        private int[] containerCgroupProcs = new int[0];
        private int pidNamespace = -1;
        private int mountNamespace = -1;
        private int runtimeMountNamespace = -1;
        private int[] mountSources = new int[0];

        private Builder() {}

        public Builder fifo(int v) {
            fifo = v;
            return this;
        }

        public Builder console(int v) {
            console = v;
            return this;
        }

        public Builder seccompListener(int v) {
            seccompListener = v;
            return this;
        }

        public Builder log(int v) {
            log = v;
            return this;
        }

        public Builder containerCgroupProcs(int[] v) {
            containerCgroupProcs = v;
            return this;
        }

        public Builder mountNamespace(int v) {
            mountNamespace = v;
            return this;
        }

        public Builder runtimeMountNamespace(int v) {
            runtimeMountNamespace = v;
            return this;
        }

        public Builder pidNamespace(int v) {
            pidNamespace = v;
            return this;
        }

        public Builder mountSources(int[] v) {
            mountSources = v;
            return this;
        }

        public InitFds build() {
            return new InitFds(
                    fifo,
                    console,
                    seccompListener,
                    log,
                    containerCgroupProcs,
                    pidNamespace,
                    mountNamespace,
                    runtimeMountNamespace,
                    mountSources);
        }
    }
}
