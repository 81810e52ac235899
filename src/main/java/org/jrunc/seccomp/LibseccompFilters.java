package org.jrunc.seccomp;

import static org.jrunc.seccomp.ConfigErrors.field;

import java.util.List;
import org.jrunc.config.Seccomp;
import org.jrunc.config.SeccompSyscall;
import org.jrunc.seccomp.libseccomp.SeccompFilter;

/** Builds the libseccomp filter of a linux.seccomp: default action, architectures, rules. */
final class LibseccompFilters {

    /** The filter and the architecture tokens it covers; closing it frees the libseccomp context. */
    record Built(SeccompFilter filter, List<Integer> archTokens) implements AutoCloseable {
        @Override
        public void close() {
            filter.close();
        }
    }

    private LibseccompFilters() {}

    static Built build(Seccomp config, List<String> warnings) {
        int defaultAction = SeccompActions.parse(
                config.defaultAction(),
                ConfigErrors.ROOT + ".defaultAction",
                config.defaultErrnoRet(),
                ConfigErrors.ROOT + ".defaultErrnoRet");
        if (SeccompActions.NOTIFY.equals(config.defaultAction())) {
            // as runc: every syscall of the init, including the one handing the listener to the agent, would wait on it
            throw field(ConfigErrors.ROOT + ".defaultAction", SeccompActions.NOTIFY + " cannot be the default action");
        }
        SeccompFilter filter = SeccompFilter.create(defaultAction);
        try {
            List<Integer> archs = SeccompArchitectures.addTo(filter, config.architectures(), warnings);
            List<SeccompSyscall> syscalls = config.syscalls() == null ? List.of() : config.syscalls();
            SyscallRules rules = new SyscallRules(filter, defaultAction, warnings);
            for (int i = 0; i < syscalls.size(); i++) {
                rules.add(i, syscalls.get(i));
            }
            return new Built(filter, archs);
        } catch (RuntimeException e) {
            filter.close();
            throw e;
        }
    }
}
