package org.jrunc.hooks;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.sys.Syscalls;

/**
 * The hook runner of the container operations' unit tests: runs nothing, logs each hook as "hook PHASE PATH" in the
 * shared journal, keeps the state JSON each phase was given, and fails chosen hooks as {@link HookRunner} would (a
 * {@link HookException}: runAll stops, runAllReportingFailures goes on and reports).
 */
public final class FakeHooks implements HookPhases, HookPhases.Factory {
    private final List<String> journal;
    private final Map<String, String> states = new LinkedHashMap<>();
    private final Map<String, String> failing = new LinkedHashMap<>();
    private final List<Syscalls> given = new ArrayList<>();
    private Runnable onRun;

    public FakeHooks(List<String> journal) {
        this.journal = journal;
    }

    /** The hook at {@code path} fails with this output. */
    public FakeHooks failing(String path, String output) {
        failing.put(path, output);
        return this;
    }

    /** Runs {@code r} as each hook "runs" (to look at the world at that moment). */
    public FakeHooks onRun(Runnable r) {
        onRun = r;
        return this;
    }

    /** The state JSON passed to the phase's hooks, or null when the phase did not run. */
    public String stateOf(String phase) {
        return states.get(phase);
    }

    /** The system calls each runner was made over. */
    public List<Syscalls> syscallsGiven() {
        return given;
    }

    @Override
    public HookPhases over(Syscalls sys) {
        given.add(sys);
        return this;
    }

    @Override
    public void runAll(String phase, List<HookSpec> hooks, String stateJson) {
        states.put(phase, stateJson);
        for (HookSpec h : hooks) {
            run(phase, h);
        }
    }

    @Override
    public List<String> runAllReportingFailures(String phase, List<HookSpec> hooks, String stateJson) {
        states.put(phase, stateJson);
        List<String> failures = new ArrayList<>();
        for (HookSpec h : hooks) {
            try {
                run(phase, h);
            } catch (HookException e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    private void run(String phase, HookSpec h) {
        journal.add("hook " + phase + " " + h.path());
        if (onRun != null) {
            onRun.run();
        }
        String output = failing.get(h.path());
        if (output != null) {
            throw new HookException(phase + " hook " + h.path() + " failed: exit status 1, output: " + output);
        }
    }
}
