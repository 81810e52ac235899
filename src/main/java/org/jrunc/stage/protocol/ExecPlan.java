package org.jrunc.stage.protocol;

/**
 * What `exec` hands to its stage: the process, and descriptors the runtime opened for it (the container's mount
 * and pid namespaces, its cgroup.procs files, the console socket).
 *
 * @param pidNamespace the container's pid namespace, which the stage joins for its children only, or -1 when it is
 *                     the runtime's own
 * @param root the container's root directory (its init's /proc/PID/root) when the container shares a mount
 *     namespace and was entered with chroot, so that joining the namespace does not give its root; else -1
 */
public record ExecPlan(
        ProcessPlan process, int mountNamespace, int[] cgroupProcs, int console, int pidNamespace, int root) {

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

        public ExecPlan build() {
            return new ExecPlan(process, mountNamespace, cgroupProcs, console, pidNamespace, root);
        }
    }
}
