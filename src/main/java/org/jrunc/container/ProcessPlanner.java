package org.jrunc.container;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.caps.CapabilityReconciler;
import org.jrunc.config.ConfigException;
import org.jrunc.config.IoPriority;
import org.jrunc.config.Linux;
import org.jrunc.config.Personality;
import org.jrunc.config.ProcessConfig;
import org.jrunc.config.Rlimit;
import org.jrunc.config.Scheduler;
import org.jrunc.config.User;
import org.jrunc.log.Log;
import org.jrunc.lsm.LsmHost;
import org.jrunc.lsm.LsmLabels;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.sys.BitmaskList;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SchedAttr;

/** Turns process (and the parts of linux that shape it) into a {@link ProcessPlan}, validating every name. */
public final class ProcessPlanner {
    private static final List<String> RLIMITS = List.of(
            "RLIMIT_CPU",
            "RLIMIT_FSIZE",
            "RLIMIT_DATA",
            "RLIMIT_STACK",
            "RLIMIT_CORE",
            "RLIMIT_RSS",
            "RLIMIT_NPROC",
            "RLIMIT_NOFILE",
            "RLIMIT_MEMLOCK",
            "RLIMIT_AS",
            "RLIMIT_LOCKS",
            "RLIMIT_SIGPENDING",
            "RLIMIT_MSGQUEUE",
            "RLIMIT_NICE",
            "RLIMIT_RTPRIO",
            "RLIMIT_RTTIME");
    private static final Map<String, Integer> SCHED_POLICIES = Map.of(
            "SCHED_OTHER",
            0,
            "SCHED_FIFO",
            1,
            "SCHED_RR",
            2,
            "SCHED_BATCH",
            3,
            "SCHED_ISO",
            4,
            "SCHED_IDLE",
            5,
            "SCHED_DEADLINE",
            6);
    private static final Map<String, Integer> SCHED_FLAGS = Map.of(
            "SCHED_FLAG_RESET_ON_FORK",
            0x01,
            "SCHED_FLAG_RECLAIM",
            0x02,
            "SCHED_FLAG_DL_OVERRUN",
            0x04,
            "SCHED_FLAG_KEEP_POLICY",
            0x08,
            "SCHED_FLAG_KEEP_PARAMS",
            0x10,
            "SCHED_FLAG_UTIL_CLAMP_MIN",
            0x20,
            "SCHED_FLAG_UTIL_CLAMP_MAX",
            0x40);
    private static final Map<String, Integer> IOPRIO_CLASSES =
            Map.of("IOPRIO_CLASS_RT", 1, "IOPRIO_CLASS_BE", 2, "IOPRIO_CLASS_IDLE", 3);

    private ProcessPlanner() {}

    /** A value for an error line: a NUL shown as \\u0000 rather than cutting the line short. */
    private static String shown(String value) {
        return value.replace("\0", "\\u0000");
    }

    /**
     * The process in a user namespace whose setgroups is "deny" (an unprivileged caller's own gid mapped alone): its
     * supplementary groups stay as the namespace has them, with no setgroups(2) (additionalGids null), as runc and
     * crun do; asking for some is refused in runc's words.
     */
    public static ProcessPlan withoutSetgroups(ProcessPlan p, String field) {
        if (p.additionalGids() != null && p.additionalGids().length > 0) {
            throw new ConfigException("config.json: field " + field + ".user.additionalGids: cannot set any "
                    + "additional groups in a rootless container (setgroups is denied in a user namespace that maps "
                    + "only your own gid; map a range of /etc/subgid to have them)");
        }
        return p.toBuilder().additionalGids(null).build();
    }

    /**
     * @param field the JSON path of the process object in messages ("process" for config.json)
     * @param linux the container's linux object, for the personality and the memory policy
     * @param seccomp the compiled filter, or null
     */
    public static ProcessPlan plan(
            ProcessConfig p, String field, Linux linux, ProcessPlan.SeccompPlan seccomp, int preserveFds) {
        if (p == null) {
            throw new ConfigException("config.json: field process: must be set to create a container");
        }
        List<String> args = p.argsOrEmpty();
        if (args.isEmpty() || args.get(0) == null || args.get(0).isEmpty()) {
            throw new ConfigException("config.json: field " + field + ".args: must name a program");
        }
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i) == null || args.get(i).indexOf('\0') >= 0) {
                throw new ConfigException("config.json: field " + field + ".args[" + i + "]: "
                        + (args.get(i) == null ? "must be a string" : "contains a NUL character"));
            }
        }
        // the spec requires cwd, and runc refuses a process without it
        if (p.cwd() == null || p.cwd().isEmpty()) {
            throw new ConfigException("config.json: field " + field + ".cwd: must be set (an absolute path)");
        }
        String cwd = p.cwd();
        if (!cwd.startsWith("/") || cwd.indexOf('\0') >= 0) {
            throw new ConfigException(
                    "config.json: field " + field + ".cwd: must be an absolute path, got \"" + shown(cwd) + "\"");
        }
        List<String> env = p.envOrEmpty();
        for (int i = 0; i < env.size(); i++) {
            String e = env.get(i);
            if (e == null || !e.contains("=")) {
                throw new ConfigException("config.json: field " + field + ".env: \"" + e + "\" is not KEY=VALUE");
            }
            if (e.indexOf('\0') >= 0) {
                // execve would end the entry at the NUL: "A=b\0c" would silently become "A=b"
                throw new ConfigException("config.json: field " + field + ".env[" + i + "]: \"" + shown(e)
                        + "\" contains a NUL character");
            }
        }
        User user = p.user() == null ? new User(0L, 0L, null, null, null) : p.user();
        checkId(user.uid(), field + ".user.uid");
        checkId(user.gid(), field + ".user.gid");
        long[] groups =
                user.additionalGidsOrEmpty().stream().mapToLong(Long::longValue).toArray();
        for (long g : groups) {
            checkId(g, field + ".user.additionalGids");
        }
        int rows = 0;
        int cols = 0;
        if (p.consoleSize() != null) {
            rows = p.consoleSize().height() == null ? 0 : p.consoleSize().height();
            cols = p.consoleSize().width() == null ? 0 : p.consoleSize().width();
        }
        CapabilityPlan caps = CapabilityPlan.parse(p.capabilities(), field + ".capabilities");
        String unraisable = CapabilityReconciler.unraisableAmbient(caps);
        if (unraisable != null) {
            Log.debug(field + ".capabilities: " + unraisable);
        }
        return ProcessPlan.builder()
                .args(List.copyOf(args))
                .env(List.copyOf(p.envOrEmpty()))
                .cwd(cwd)
                .terminal(p.isTerminal())
                .consoleHeight(rows)
                .consoleWidth(cols)
                .uid(user.uidOrRoot())
                .gid(user.gidOrRoot())
                .additionalGids(groups)
                .umask(user.umask())
                .capabilities(caps)
                .noNewPrivileges(p.isNoNewPrivileges())
                .seccomp(seccomp)
                .rlimits(rlimits(p.rlimits(), field))
                .personality(personality(linux.personality()))
                .scheduler(scheduler(p.scheduler(), field))
                .ioPriority(ioPriority(p.ioPriority(), field))
                .memoryPolicy(MemoryPolicyPlanner.plan(linux.memoryPolicy()))
                .apparmorProfile(LsmLabels.apparmor(
                        p.apparmorProfile(), field + ".apparmorProfile", LsmHost.current(), Log::warn))
                .selinuxLabel(
                        LsmLabels.selinux(p.selinuxLabel(), field + ".selinuxLabel", LsmHost.current(), Log::warn))
                .preserveFds(preserveFds)
                .build();
    }

    private static void checkId(Long id, String field) {
        if (id != null && (id < 0 || id > 0xfffffffeL)) {
            throw new ConfigException("config.json: field " + field + ": " + id + " is not a valid id");
        }
    }

    static List<ProcessPlan.RlimitPlan> rlimits(List<Rlimit> rlimits, String field) {
        List<ProcessPlan.RlimitPlan> out = new ArrayList<>();
        if (rlimits == null) {
            return out;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < rlimits.size(); i++) {
            Rlimit r = rlimits.get(i);
            String f = "config.json: field " + field + ".rlimits[" + i + "]";
            int resource = r.type() == null ? -1 : RLIMITS.indexOf(r.type());
            if (resource < 0) {
                throw new ConfigException(f + ".type: unknown rlimit \"" + r.type() + "\"");
            }
            if (!seen.add(r.type())) {
                throw new ConfigException(f + ".type: duplicate rlimit \"" + r.type() + "\"");
            }
            long hard = r.hard() == null ? 0 : r.hard();
            long soft = r.soft() == null ? 0 : r.soft();
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw new ConfigException(f + ": soft limit " + Long.toUnsignedString(soft)
                        + " is above the hard limit " + Long.toUnsignedString(hard));
            }
            out.add(new ProcessPlan.RlimitPlan(resource, r.type(), soft, hard));
        }
        return out;
    }

    /**
     * A CPU list of process.execCPUAffinity as a mask, null when unset or empty (runc's rule).
     *
     * @param field the file and field for messages ("config.json: field process.execCPUAffinity.final")
     */
    static long[] cpus(String list, String field) {
        if (list == null) {
            return null;
        }
        long[] mask;
        try {
            mask = BitmaskList.parse(list);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(field + ": \"" + list + "\" is not a list like \"0-3,7\": " + e.getMessage());
        }
        return mask.length == 0 ? null : mask;
    }

    static Long personality(Personality p) {
        if (p == null) {
            return null;
        }
        long persona;
        if ("LINUX".equals(p.domain())) {
            persona = 0x0000;
        } else if ("LINUX32".equals(p.domain())) {
            persona = 0x0008;
        } else {
            throw new ConfigException("config.json: field linux.personality.domain: unknown domain \"" + p.domain()
                    + "\" (LINUX or LINUX32)");
        }
        if (p.flags() != null && !p.flags().isEmpty()) {
            throw new ConfigException("config.json: field linux.personality.flags: no flags are defined by the spec");
        }
        return persona;
    }

    static SchedAttr scheduler(Scheduler s, String field) {
        if (s == null) {
            return null;
        }
        Integer policy = SCHED_POLICIES.get(s.policy());
        if (policy == null) {
            throw new ConfigException(
                    "config.json: field " + field + ".scheduler.policy: unknown policy \"" + s.policy() + "\"");
        }
        long flags = 0;
        if (s.flags() != null) {
            for (String f : s.flags()) {
                Integer bit = SCHED_FLAGS.get(f);
                if (bit == null) {
                    throw new ConfigException(
                            "config.json: field " + field + ".scheduler.flags: unknown flag \"" + f + "\"");
                }
                flags |= bit;
            }
        }
        int nice = s.nice() == null ? 0 : s.nice();
        if (nice < -20 || nice > 19) {
            throw new ConfigException(
                    "config.json: field " + field + ".scheduler.nice: " + nice + " is outside -20..19");
        }
        return new SchedAttr(
                policy,
                flags,
                nice,
                s.priority() == null ? 0 : s.priority(),
                s.runtime() == null ? 0 : s.runtime(),
                s.deadline() == null ? 0 : s.deadline(),
                s.period() == null ? 0 : s.period());
    }

    static Integer ioPriority(IoPriority p, String field) {
        if (p == null) {
            return null;
        }
        Integer cls = IOPRIO_CLASSES.get(p.ioClass());
        if (cls == null) {
            throw new ConfigException(
                    "config.json: field " + field + ".ioPriority.class: unknown class \"" + p.ioClass() + "\"");
        }
        int prio = p.priority() == null ? 0 : p.priority();
        if (prio < 0 || prio > 7) {
            throw new ConfigException(
                    "config.json: field " + field + ".ioPriority.priority: " + prio + " is outside 0..7");
        }
        return (cls << Flags.IOPRIO_CLASS_SHIFT) | prio;
    }
}
