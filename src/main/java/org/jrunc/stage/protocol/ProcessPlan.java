package org.jrunc.stage.protocol;

import java.util.List;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.sys.SchedAttr;

/**
 * The container process, fully resolved by the runtime before it starts the init: names are already numbers, the
 * seccomp filter is already compiled to BPF. Shared by create (the init) and exec.
 */
public record ProcessPlan(
        List<String> args,
        List<String> env,
        String cwd,
        boolean terminal,
        int consoleHeight,
        int consoleWidth,
        long uid,
        long gid,
        long[] additionalGids,
        Integer umask,
        CapabilityPlan capabilities,
        boolean noNewPrivileges,
        SeccompPlan seccomp,
        List<RlimitPlan> rlimits,
        Long personality,
        SchedAttr scheduler,
        Integer ioPriority,
        MemoryPolicyPlan memoryPolicy,
        String apparmorProfile,
        String selinuxLabel,
        int preserveFds) {

    /** The same process with other capability sets (after fitting them to what the host can grant). */
    public ProcessPlan withCapabilities(CapabilityPlan caps) {
        return toBuilder().capabilities(caps).build();
    }

    /** The same process with another environment. */
    public ProcessPlan withEnv(List<String> newEnv) {
        return toBuilder().env(newEnv).build();
    }

    /** A ProcessPlan built one named field at a time; see {@link Builder}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this plan's fields, to make a copy that differs in a few of them. */
    public Builder toBuilder() {
        return new Builder()
                .args(args)
                .env(env)
                .cwd(cwd)
                .terminal(terminal)
                .consoleHeight(consoleHeight)
                .consoleWidth(consoleWidth)
                .uid(uid)
                .gid(gid)
                .additionalGids(additionalGids)
                .umask(umask)
                .capabilities(capabilities)
                .noNewPrivileges(noNewPrivileges)
                .seccomp(seccomp)
                .rlimits(rlimits)
                .personality(personality)
                .scheduler(scheduler)
                .ioPriority(ioPriority)
                .memoryPolicy(memoryPolicy)
                .apparmorProfile(apparmorProfile)
                .selinuxLabel(selinuxLabel)
                .preserveFds(preserveFds);
    }

    /**
     * Sets the fields of a ProcessPlan by name, so that call sites say what they set instead of passing runs of nulls,
     * empties and unlabelled booleans. A field not set stays null, 0 or false. A plain class (no lambdas, no record
     * methods): cheap on the create, run and exec paths.
     */
    public static final class Builder {
        private List<String> args;
        private List<String> env;
        private String cwd;
        private boolean terminal;
        private int consoleHeight;
        private int consoleWidth;
        private long uid;
        private long gid;
        private long[] additionalGids;
        private Integer umask;
        private CapabilityPlan capabilities;
        private boolean noNewPrivileges;
        private SeccompPlan seccomp;
        private List<RlimitPlan> rlimits;
        private Long personality;
        private SchedAttr scheduler;
        private Integer ioPriority;
        private MemoryPolicyPlan memoryPolicy;
        private String apparmorProfile;
        private String selinuxLabel;
        private int preserveFds;

        private Builder() {}

        public Builder args(List<String> v) {
            args = v;
            return this;
        }

        public Builder env(List<String> v) {
            env = v;
            return this;
        }

        public Builder cwd(String v) {
            cwd = v;
            return this;
        }

        public Builder terminal(boolean v) {
            terminal = v;
            return this;
        }

        public Builder consoleHeight(int v) {
            consoleHeight = v;
            return this;
        }

        public Builder consoleWidth(int v) {
            consoleWidth = v;
            return this;
        }

        public Builder uid(long v) {
            uid = v;
            return this;
        }

        public Builder gid(long v) {
            gid = v;
            return this;
        }

        public Builder additionalGids(long[] v) {
            additionalGids = v;
            return this;
        }

        public Builder umask(Integer v) {
            umask = v;
            return this;
        }

        public Builder capabilities(CapabilityPlan v) {
            capabilities = v;
            return this;
        }

        public Builder noNewPrivileges(boolean v) {
            noNewPrivileges = v;
            return this;
        }

        public Builder seccomp(SeccompPlan v) {
            seccomp = v;
            return this;
        }

        public Builder rlimits(List<RlimitPlan> v) {
            rlimits = v;
            return this;
        }

        public Builder personality(Long v) {
            personality = v;
            return this;
        }

        public Builder scheduler(SchedAttr v) {
            scheduler = v;
            return this;
        }

        public Builder ioPriority(Integer v) {
            ioPriority = v;
            return this;
        }

        public Builder memoryPolicy(MemoryPolicyPlan v) {
            memoryPolicy = v;
            return this;
        }

        public Builder apparmorProfile(String v) {
            apparmorProfile = v;
            return this;
        }

        public Builder selinuxLabel(String v) {
            selinuxLabel = v;
            return this;
        }

        public Builder preserveFds(int v) {
            preserveFds = v;
            return this;
        }

        public ProcessPlan build() {
            return new ProcessPlan(
                    args,
                    env,
                    cwd,
                    terminal,
                    consoleHeight,
                    consoleWidth,
                    uid,
                    gid,
                    additionalGids,
                    umask,
                    capabilities,
                    noNewPrivileges,
                    seccomp,
                    rlimits,
                    personality,
                    scheduler,
                    ioPriority,
                    memoryPolicy,
                    apparmorProfile,
                    selinuxLabel,
                    preserveFds);
        }
    }

    /**
     * linux.memoryPolicy for set_mempolicy(2).
     *
     * @param name  the mode as config.json names it, for messages
     * @param mode  the MPOL_* mode with its MPOL_F_* flags
     * @param nodes the nodes as a {@link org.jrunc.sys.BitmaskList} mask, empty for none
     */
    public record MemoryPolicyPlan(String name, int mode, long[] nodes) {}

    public record RlimitPlan(int resource, String name, long soft, long hard) {}

    /** A compiled filter: the BPF program, seccomp(2) flags, and for SCMP_ACT_NOTIFY the agent's metadata. */
    public record SeccompPlan(byte[] program, int flags, boolean usesNotify, String listenerMetadata) {}
}
