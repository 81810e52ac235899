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
        String apparmorProfile,
        String selinuxLabel,
        int preserveFds) {

    /** The same process with other capability sets (after fitting them to what the host can grant). */
    public ProcessPlan withCapabilities(CapabilityPlan caps) {
        return new ProcessPlan(args, env, cwd, terminal, consoleHeight, consoleWidth, uid, gid, additionalGids, umask,
                caps, noNewPrivileges, seccomp, rlimits, personality, scheduler, ioPriority, apparmorProfile,
                selinuxLabel, preserveFds);
    }

    /** The same process with another environment. */
    public ProcessPlan withEnv(List<String> newEnv) {
        return new ProcessPlan(args, newEnv, cwd, terminal, consoleHeight, consoleWidth, uid, gid, additionalGids,
                umask, capabilities, noNewPrivileges, seccomp, rlimits, personality, scheduler, ioPriority,
                apparmorProfile, selinuxLabel, preserveFds);
    }

    public record RlimitPlan(int resource, String name, long soft, long hard) {
    }

    /** A compiled filter: the BPF program, seccomp(2) flags, and for SCMP_ACT_NOTIFY the agent's metadata. */
    public record SeccompPlan(byte[] program, int flags, boolean usesNotify, String listenerMetadata) {
    }
}
