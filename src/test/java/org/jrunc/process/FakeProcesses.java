package org.jrunc.process;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A {@link HostProcesses} for the unit tests of the container operations: a table of made-up processes (pid, state
 * letter, start time) and a journal of the signals sent, as "signal PID SIG". By default a TERM or KILL to a live
 * process ends it (it becomes a zombie, which counts as exited); other signals change nothing.
 */
public final class FakeProcesses implements HostProcesses {
    private final Map<Integer, ProcStat> table = new LinkedHashMap<>();
    private final Set<Integer> ignoringTerm = new HashSet<>();
    private final Set<Integer> unkillable = new HashSet<>();
    private final Set<Integer> exitingUnseen = new HashSet<>();
    private final Map<Integer, Integer> parents = new LinkedHashMap<>();
    private final List<String> journal;
    private ProcStat self = new ProcStat(4000, 'R', 400);

    /** @param journal where signals are logged (shared with the other fakes, to see the order across them) */
    public FakeProcesses(List<String> journal) {
        this.journal = journal;
        table.put(self.pid(), self);
    }

    public FakeProcesses() {
        this(new ArrayList<>());
    }

    /** A live process. */
    public synchronized FakeProcesses running(int pid, long startTicks) {
        table.put(pid, new ProcStat(pid, 'S', startTicks));
        return this;
    }

    /** A live process whose parent is {@code parent}. */
    public synchronized FakeProcesses child(int pid, int parent, long startTicks) {
        running(pid, startTicks);
        parents.put(pid, parent);
        return this;
    }

    /** A process that has exited but was not reaped yet. */
    public synchronized FakeProcesses zombie(int pid, long startTicks) {
        table.put(pid, new ProcStat(pid, 'Z', startTicks));
        return this;
    }

    /** The process leaves the table (exited and reaped). */
    public synchronized FakeProcesses gone(int pid) {
        table.remove(pid);
        return this;
    }

    /** A process that handles SIGTERM (it stays alive). */
    public synchronized FakeProcesses ignoringTerm(int pid) {
        ignoringTerm.add(pid);
        return this;
    }

    /** A process that not even SIGKILL ends (stuck in the kernel, as far as the caller can tell). */
    public synchronized FakeProcesses unkillable(int pid) {
        unkillable.add(pid);
        return this;
    }

    /** The process exits, and is reaped, right before the next signal reaches it (after every liveness check). */
    public synchronized FakeProcesses exitsBeforeTheSignal(int pid) {
        exitingUnseen.add(pid);
        return this;
    }

    /** Whether {@code pid} is in the table and has not exited. */
    public synchronized boolean alive(int pid) {
        ProcStat st = table.get(pid);
        return st != null && !st.hasExited();
    }

    /** The signals sent, as "PID:SIG", in order. */
    public List<String> signals() {
        List<String> out = new ArrayList<>();
        for (String e : journal) {
            if (e.startsWith("signal ")) {
                out.add(e.substring(7).replace(' ', ':'));
            }
        }
        return out;
    }

    @Override
    public ProcStat self() {
        return self;
    }

    @Override
    public synchronized ProcStat stat(int pid) {
        return table.get(pid);
    }

    @Override
    public synchronized List<Integer> descendants(int pid) {
        List<Integer> out = new ArrayList<>();
        for (Map.Entry<Integer, Integer> e : parents.entrySet()) {
            if (e.getValue() == pid && alive(e.getKey())) {
                out.add(e.getKey());
                out.addAll(descendants(e.getKey()));
            }
        }
        return out;
    }

    @Override
    public synchronized boolean isSameLiveProcess(int pid, long startTicks) {
        ProcStat st = table.get(pid);
        return st != null && st.startTicks() == startTicks && !st.hasExited();
    }

    @Override
    public synchronized boolean signal(int pid, int sig) {
        journal.add("signal " + pid + " " + sig);
        if (exitingUnseen.remove(pid)) {
            table.remove(pid);
        }
        ProcStat st = table.get(pid);
        if (st == null) {
            return false;
        }
        boolean ends = sig == Signals.SIGKILL
                ? !unkillable.contains(pid)
                : sig == Signals.SIGTERM && !ignoringTerm.contains(pid) && !unkillable.contains(pid);
        if (ends && !st.hasExited()) {
            table.put(pid, new ProcStat(pid, 'Z', st.startTicks()));
        }
        return true;
    }
}
