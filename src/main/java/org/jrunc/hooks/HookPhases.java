package org.jrunc.hooks;

import java.util.List;
import org.jrunc.sys.Syscalls;

/**
 * Runs the OCI hooks of one phase, as the runtime does for prestart, createRuntime, poststart and poststop:
 * {@link HookRunner} spawns them on this host; the container operations' unit tests record them instead.
 */
public interface HookPhases {
    /** Makes the runner the operations use, over the system calls they have reached. */
    interface Factory {
        HookPhases over(Syscalls sys);
    }

    /** Runs the hooks in order; the first failure stops the phase (a {@link HookException}). */
    void runAll(String phase, List<HookSpec> hooks, String stateJson);

    /** Runs every hook even if some fail; returns the failure messages (poststop semantics). */
    List<String> runAllReportingFailures(String phase, List<HookSpec> hooks, String stateJson);
}
