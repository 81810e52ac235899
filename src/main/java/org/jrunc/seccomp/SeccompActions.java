package org.jrunc.seccomp;

import static org.jrunc.seccomp.ConfigErrors.field;
import static org.jrunc.seccomp.ConfigErrors.quoted;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.jrunc.seccomp.libseccomp.ScmpAction;
import org.jrunc.sys.Errno;

/** OCI action names (SCMP_ACT_*) to libseccomp action values. */
final class SeccompActions {
    static final String ERRNO = "SCMP_ACT_ERRNO";
    static final String TRACE = "SCMP_ACT_TRACE";
    static final String NOTIFY = "SCMP_ACT_NOTIFY";
    private static final int MAX_RET_DATA = 0xffff;

    /** The actions that carry no errno. SCMP_ACT_KILL is the thread variant, as in libseccomp and runc. */
    private static final Map<String, Integer> PLAIN = Map.of(
            "SCMP_ACT_KILL",
            ScmpAction.KILL_THREAD,
            "SCMP_ACT_KILL_THREAD",
            ScmpAction.KILL_THREAD,
            "SCMP_ACT_KILL_PROCESS",
            ScmpAction.KILL_PROCESS,
            "SCMP_ACT_TRAP",
            ScmpAction.TRAP,
            "SCMP_ACT_ALLOW",
            ScmpAction.ALLOW,
            "SCMP_ACT_LOG",
            ScmpAction.LOG,
            NOTIFY,
            ScmpAction.NOTIFY);

    /**
     * Actions that let unknown syscalls through; runc adds no -ENOSYS stub for them. TRACE counts as permissive because
     * a tracer is expected to handle syscalls it does not know itself.
     */
    private static final Set<String> PERMISSIVE = Set.of("SCMP_ACT_ALLOW", "SCMP_ACT_LOG", TRACE);

    private SeccompActions() {}

    static List<String> names() {
        TreeSet<String> all = new TreeSet<>(PLAIN.keySet());
        all.add(ERRNO);
        all.add(TRACE);
        return new ArrayList<>(all);
    }

    /**
     * @param actionPath the field holding {@code name}, for errors
     * @param errnoRet the errnoRet (or defaultErrnoRet) beside it; EPERM when absent, as in runc
     */
    static int parse(String name, String actionPath, Long errnoRet, String errnoPath) {
        if (name == null) {
            throw field(actionPath, "missing");
        }
        if (ERRNO.equals(name)) {
            return ScmpAction.errno(retData(errnoRet, errnoPath));
        }
        if (TRACE.equals(name)) {
            return ScmpAction.trace(retData(errnoRet, errnoPath));
        }
        Integer action = PLAIN.get(name);
        if (action == null) {
            throw field(actionPath, "unknown action " + quoted(name));
        }
        if (errnoRet != null) {
            // runtime-spec: "When the action doesn't support an errno, the runtime MUST print and error and fail."
            throw field(errnoPath, "only " + ERRNO + " and " + TRACE + " take an errno, not " + name);
        }
        return action;
    }

    static boolean isPermissive(String name) {
        return PERMISSIVE.contains(name);
    }

    /** The 16-bit data of an ERRNO or TRACE return; wider values would be silently truncated by the kernel ABI. */
    private static int retData(Long value, String path) {
        if (value == null) {
            return Errno.EPERM;
        }
        if (value < 0 || value > MAX_RET_DATA) {
            throw field(path, ConfigErrors.unsigned(value) + " is out of range (0-" + MAX_RET_DATA + ")");
        }
        return value.intValue();
    }
}
