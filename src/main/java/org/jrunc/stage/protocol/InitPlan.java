package org.jrunc.stage.protocol;

import java.util.List;
import java.util.Map;
import org.jrunc.hooks.HookSpec;
import org.jrunc.rootfs.RootfsPlan;

/**
 * What `create` hands to the init process over the sync socket. The runtime parses and validates config.json; the init
 * only carries out this plan, so it never loads jackson or libseccomp.
 *
 * @param stateJson the runtime-spec state for hooks run by the init, with "pid" and "status" filled in there
 * @param fds where the runtime placed descriptors in the init (see {@link InitFds})
 * @param loopbackUp the container has a network namespace of its own, whose lo the init sets up
 * @param unshareCgroupNamespace the init creates the container's cgroup namespace itself, first thing: it was spawned
 *     outside the container's cgroup, which systemd made around it after HELLO (the systemd driver)
 */
public record InitPlan(
        String containerId,
        RootfsPlan rootfs,
        ProcessPlan process,
        String hostname,
        String domainname,
        Map<String, String> sysctl,
        Integer oomScoreAdj,
        List<HookSpec> createContainerHooks,
        List<HookSpec> startContainerHooks,
        boolean runtimeHooks,
        Map<String, Object> stateJson,
        boolean logJson,
        InitFds fds,
        boolean loopbackUp,
        boolean unshareCgroupNamespace) {

    /** A InitPlan built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Sets the fields of a InitPlan by name, so that call sites say what they set instead of passing runs of nulls,
     * empties and unlabelled booleans. A field not set stays null, 0 or false. A plain class (no lambdas, no record
     * methods): cheap on the create, run and exec paths.
     */
    public static final class Builder {
        private String containerId;
        private RootfsPlan rootfs;
        private ProcessPlan process;
        private String hostname;
        private String domainname;
        private Map<String, String> sysctl;
        private Integer oomScoreAdj;
        private List<HookSpec> createContainerHooks;
        private List<HookSpec> startContainerHooks;
        private boolean runtimeHooks;
        private Map<String, Object> stateJson;
        private boolean logJson;
        private InitFds fds;
        private boolean loopbackUp;
        private boolean unshareCgroupNamespace;

        private Builder() {}

        public Builder containerId(String v) {
            containerId = v;
            return this;
        }

        public Builder rootfs(RootfsPlan v) {
            rootfs = v;
            return this;
        }

        public Builder process(ProcessPlan v) {
            process = v;
            return this;
        }

        public Builder hostname(String v) {
            hostname = v;
            return this;
        }

        public Builder domainname(String v) {
            domainname = v;
            return this;
        }

        public Builder sysctl(Map<String, String> v) {
            sysctl = v;
            return this;
        }

        public Builder oomScoreAdj(Integer v) {
            oomScoreAdj = v;
            return this;
        }

        public Builder createContainerHooks(List<HookSpec> v) {
            createContainerHooks = v;
            return this;
        }

        public Builder startContainerHooks(List<HookSpec> v) {
            startContainerHooks = v;
            return this;
        }

        public Builder runtimeHooks(boolean v) {
            runtimeHooks = v;
            return this;
        }

        public Builder stateJson(Map<String, Object> v) {
            stateJson = v;
            return this;
        }

        public Builder logJson(boolean v) {
            logJson = v;
            return this;
        }

        public Builder fds(InitFds v) {
            fds = v;
            return this;
        }

        public Builder loopbackUp(boolean v) {
            loopbackUp = v;
            return this;
        }

        public Builder unshareCgroupNamespace(boolean v) {
            unshareCgroupNamespace = v;
            return this;
        }

        public InitPlan build() {
            return new InitPlan(
                    containerId,
                    rootfs,
                    process,
                    hostname,
                    domainname,
                    sysctl,
                    oomScoreAdj,
                    createContainerHooks,
                    startContainerHooks,
                    runtimeHooks,
                    stateJson,
                    logJson,
                    fds,
                    loopbackUp,
                    unshareCgroupNamespace);
        }
    }
}
