package org.jrunc.seccomp;

import static org.jrunc.seccomp.ConfigErrors.field;
import static org.jrunc.seccomp.ConfigErrors.quoted;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;

/** linux.seccomp.flags to the flags argument of seccomp(SECCOMP_SET_MODE_FILTER). */
final class SeccompFlags {
    static final int TSYNC = 1;
    static final int LOG = 2;
    static final int SPEC_ALLOW = 4;
    static final int NEW_LISTENER = 8;
    static final int TSYNC_ESRCH = 16;
    static final int WAIT_KILLABLE_RECV = 32;

    private static final Map<String, Integer> BY_NAME = Map.of(
            "SECCOMP_FILTER_FLAG_TSYNC", TSYNC,
            "SECCOMP_FILTER_FLAG_LOG", LOG,
            "SECCOMP_FILTER_FLAG_SPEC_ALLOW", SPEC_ALLOW,
            "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV", WAIT_KILLABLE_RECV);

    private SeccompFlags() {}

    static Set<String> names() {
        return BY_NAME.keySet();
    }

    static int value(String name) {
        return BY_NAME.get(name);
    }

    /**
     * @param usesNotify whether the filter has SCMP_ACT_NOTIFY rules: then NEW_LISTENER is added, which the kernel
     *                   needs to hand out the listener fd
     * @param kernelAccepts whether seccomp(2) on this kernel accepts a flags value (see SeccompProbe)
     */
    static int resolve(List<String> names, boolean usesNotify, IntPredicate kernelAccepts, List<String> warnings) {
        int flags = usesNotify ? NEW_LISTENER : 0;
        for (int i = 0; names != null && i < names.size(); i++) {
            String name = names.get(i);
            Integer bit = name == null ? null : BY_NAME.get(name);
            String path = ConfigErrors.ROOT + ".flags[" + i + "]";
            if (bit == null) {
                throw field(path, "unknown flag " + quoted(name));
            }
            if (bit == WAIT_KILLABLE_RECV && !usesNotify) {
                // the kernel refuses it without NEW_LISTENER, and it only changes how notifications wait
                warnings.add(path + ": " + name + " has no effect without SCMP_ACT_NOTIFY rules, ignored");
            } else if (!kernelAccepts.test(bit == WAIT_KILLABLE_RECV ? bit | NEW_LISTENER : bit)) {
                warnings.add(path + ": " + name + " is not supported by this kernel, ignored");
            } else {
                flags |= bit;
            }
        }
        return withTsyncEsrch(flags, kernelAccepts, warnings);
    }

    /**
     * With TSYNC, a failed install returns the id of the thread that could not be synchronised, which would be taken for
     * a listener fd; TSYNC_ESRCH makes it fail with ESRCH instead, and is required to combine TSYNC with NEW_LISTENER.
     */
    private static int withTsyncEsrch(int flags, IntPredicate kernelAccepts, List<String> warnings) {
        if ((flags & TSYNC) == 0) {
            return flags;
        }
        if (kernelAccepts.test(TSYNC | TSYNC_ESRCH)) {
            return flags | TSYNC_ESRCH;
        }
        if ((flags & NEW_LISTENER) != 0) {
            warnings.add(ConfigErrors.ROOT + ".flags: SECCOMP_FILTER_FLAG_TSYNC cannot be combined with "
                    + "SCMP_ACT_NOTIFY on this kernel (no SECCOMP_FILTER_FLAG_TSYNC_ESRCH), ignored");
            return flags & ~TSYNC;
        }
        return flags;
    }
}
