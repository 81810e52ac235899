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
        private int errorPipe;

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

        public Builder errorPipe(int v) {
            errorPipe = v;
            return this;
        }

        public ExecPlan build() {
            return new ExecPlan(process, mountNamespace, cgroupProcs, console, errorPipe);
        }
    }
}
