package org.jrunc.stage.protocol;

import java.util.Map;

/**
 * What `exec` hands to its stage: the process, descriptors the runtime opened for it (the container's mount and pid
 * namespaces, its cgroup.procs files, the console socket, the seccomp agent's connection), and the CPUs the stage
 * runs on around the cgroup join.
 *
 * @param pidNamespace the container's pid namespace, which the stage joins for its children only, or -1 when it is
 *                     the runtime's own
 * @param initialCpus  process.execCPUAffinity.initial as a {@link org.jrunc.sys.BitmaskList} mask, or null
 * @param finalCpus    process.execCPUAffinity.final as a {@link org.jrunc.sys.BitmaskList} mask, or null
 * @param seccompListener a connection to linux.seccomp.listenerPath for a filter with SCMP_ACT_NOTIFY, or -1
 * @param stateJson    the container's runtime-spec state, for that agent's message; null without one
 * @param root the container's root directory (its init's /proc/PID/root) when the container shares a mount
 *     namespace and was entered with chroot, so that joining the namespace does not give its root; else -1
 */
public record ExecPlan(
        ProcessPlan process,
        int mountNamespace,
        int[] cgroupProcs,
        int console,
        int pidNamespace,
        long[] initialCpus,
        long[] finalCpus,
        int seccompListener,
        Map<String, Object> stateJson,
        int root) {

    /** An ExecPlan built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the fields of an ExecPlan by name, so that call sites say which descriptor is which. A field not set stays
     * null or 0 (the descriptors have no "none" default: a caller without a console says console(-1)). A plain class
     * (no lambdas, no record methods): cheap on the exec path.
     */
    public static final class Builder {
        private ProcessPlan process;
        private int mountNamespace;
        private int[] cgroupProcs;
        private int console;
        private int pidNamespace;
        private long[] initialCpus;
        private long[] finalCpus;
        private int seccompListener;
        private Map<String, Object> stateJson;
        private int root = -1;

        private Builder() {}

        public Builder process(ProcessPlan v) {
            process = v;
            return this;
        }

        public Builder mountNamespace(int v) {
            mountNamespace = v;
            return this;
        }

        public Builder cgroupProcs(int[] v) {
            cgroupProcs = v;
            return this;
        }

        public Builder console(int v) {
            console = v;
            return this;
        }

        public Builder pidNamespace(int v) {
            pidNamespace = v;
            return this;
        }

        public Builder root(int v) {
            root = v;
            return this;
        }

        public Builder initialCpus(long[] v) {
            initialCpus = v;
            return this;
        }

        public Builder finalCpus(long[] v) {
            finalCpus = v;
            return this;
        }

        public Builder seccompListener(int v) {
            seccompListener = v;
            return this;
        }

        public Builder stateJson(Map<String, Object> v) {
            stateJson = v;
            return this;
        }

        public ExecPlan build() {
            return new ExecPlan(
                    process,
                    mountNamespace,
                    cgroupProcs,
                    console,
                    pidNamespace,
                    initialCpus,
                    finalCpus,
                    seccompListener,
                    stateJson,
                    root);
        }
    }
}
