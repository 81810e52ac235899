package org.jrunc.seccomp;

import static org.jrunc.seccomp.ConfigErrors.field;
import static org.jrunc.seccomp.ConfigErrors.quoted;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jrunc.config.SeccompArg;
import org.jrunc.config.SeccompSyscall;
import org.jrunc.seccomp.libseccomp.LibSeccompException;
import org.jrunc.seccomp.libseccomp.ScmpArgCmp;
import org.jrunc.seccomp.libseccomp.ScmpCompare;
import org.jrunc.seccomp.libseccomp.ScmpSyscalls;
import org.jrunc.seccomp.libseccomp.SeccompFilter;
import org.jrunc.sys.Errno;

/** Adds linux.seccomp.syscalls entries to a filter, following runc's libcontainer/seccomp. */
final class SyscallRules {
    private static final String OP_PREFIX = "SCMP_CMP_";
    /**
     * Syscalls jrunc's init makes after installing the filter and before exec: write (errors, sync) and sendmsg (the
     * listener fd). A NOTIFY rule on them would block the init on an agent that has not got the fd yet. runc refuses
     * NOTIFY on write for the same reason.
     */
    private static final Set<String> NO_NOTIFY = Set.of("write", "sendmsg");

    private final SeccompFilter filter;
    private final int defaultAction;
    private final List<String> warnings;

    SyscallRules(SeccompFilter filter, int defaultAction, List<String> warnings) {
        this.filter = filter;
        this.defaultAction = defaultAction;
        this.warnings = warnings;
    }

    /** Validates syscalls[index] in full, then adds its rules. */
    void add(int index, SeccompSyscall call) {
        String path = ConfigErrors.ROOT + ".syscalls[" + index + "]";
        if (call == null) {
            throw field(path, "null entry");
        }
        int action = SeccompActions.parse(call.action(), path + ".action", call.errnoRet(), path + ".errnoRet");
        List<String> names = names(call, path);
        List<List<ScmpArgCmp>> rules = ruleConditions(call.args(), path);
        if (action == defaultAction) {
            // runc skips these: they change nothing, and libseccomp refuses them (EACCES)
            return;
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            int nr = ScmpSyscalls.resolve(name);
            if (nr == ScmpSyscalls.NR_ERROR) {
                // as runc: a name this libseccomp does not know is most likely a syscall newer than it
                warnings.add(path + ".names[" + i + "]: unknown syscall " + quoted(name) + ", ignored");
                continue;
            }
            for (List<ScmpArgCmp> conditions : rules) {
                try {
                    filter.addRule(action, nr, conditions);
                } catch (LibSeccompException e) {
                    throw field(path, "cannot add rule for " + quoted(name) + ": " + Errno.describe(e.errno()));
                }
            }
        }
    }

    private static List<String> names(SeccompSyscall call, String path) {
        List<String> names = call.names();
        if (names == null || names.isEmpty()) {
            throw field(path + ".names", "must name at least one syscall");
        }
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.isEmpty()) {
                throw field(path + ".names[" + i + "]", "empty syscall name");
            }
            if (SeccompActions.NOTIFY.equals(call.action()) && NO_NOTIFY.contains(name)) {
                throw field(
                        path + ".names[" + i + "]",
                        SeccompActions.NOTIFY + " cannot be used for " + quoted(name)
                                + ": the init calls it after installing the filter");
            }
        }
        return names;
    }

    /**
     * The comparison lists to add a rule for. Normally one rule with all of them (AND). libseccomp cannot AND two
     * comparisons of the same argument, so when an index repeats, runc adds one rule per comparison instead, which
     * means OR; jrunc does the same, for the same filters from the same profiles.
     */
    static List<List<ScmpArgCmp>> ruleConditions(List<SeccompArg> args, String path) {
        List<ScmpArgCmp> cmps = new ArrayList<>();
        Set<Integer> indexes = new HashSet<>();
        boolean repeated = false;
        for (int i = 0; args != null && i < args.size(); i++) {
            ScmpArgCmp cmp = condition(args.get(i), path + ".args[" + i + "]");
            repeated |= !indexes.add(cmp.arg());
            cmps.add(cmp);
        }
        return repeated ? cmps.stream().map(List::of).toList() : List.of(cmps);
    }

    private static ScmpArgCmp condition(SeccompArg arg, String path) {
        if (arg == null) {
            throw field(path, "null entry");
        }
        if (arg.index() == null) {
            throw field(path + ".index", "missing");
        }
        if (arg.index() < 0 || arg.index() > 5) {
            throw field(path + ".index", arg.index() + " is out of range (0-5)");
        }
        if (arg.value() == null) {
            throw field(path + ".value", "missing");
        }
        long two = arg.valueTwo() == null ? 0 : arg.valueTwo();
        return new ScmpArgCmp(arg.index(), operator(arg.op(), path + ".op"), arg.value(), two);
    }

    private static ScmpCompare operator(String op, String path) {
        if (op == null) {
            throw field(path, "missing");
        }
        for (ScmpCompare c : ScmpCompare.values()) {
            if ((OP_PREFIX + c.name()).equals(op)) {
                return c;
            }
        }
        throw field(path, "unknown operator " + quoted(op));
    }
}
