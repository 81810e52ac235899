package org.jrunc.process;

import java.io.File;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.SyscallsOnDemand;

/**
 * {@link HostProcesses} on this host: /proc/PID/stat ({@link ProcStat}), and signals through ProcessHandle for TERM and
 * KILL, so that `kill` with the usual signals and `delete` never load JNA, and through kill(2) for the others (the
 * system calls are reached only then).
 */
public final class LinuxProcesses implements HostProcesses {
    public static final LinuxProcesses HOST = new LinuxProcesses(SyscallsOnDemand.LINUX);

    private final Supplier<? extends Syscalls> syscalls;

    /** @param syscalls asked for only when a signal other than TERM or KILL is sent */
    public LinuxProcesses(Supplier<? extends Syscalls> syscalls) {
        this.syscalls = syscalls;
    }

    @Override
    public ProcStat self() {
        return ProcStat.self();
    }

    @Override
    public ProcStat stat(int pid) {
        return ProcStat.read(pid);
    }

    @Override
    public List<Integer> descendants(int pid) {
        Map<Integer, List<Integer>> children = new HashMap<>();
        File[] entries = new File("/proc").listFiles();
        for (File e : entries == null ? new File[0] : entries) {
            String name = e.getName();
            if (!name.isEmpty() && Character.isDigit(name.charAt(0))) {
                int child = Integer.parseInt(name);
                int parent = ProcStat.parentOf(child);
                if (parent > 0) {
                    children.computeIfAbsent(parent, k -> new ArrayList<>()).add(child);
                }
            }
        }
        List<Integer> out = new ArrayList<>();
        Deque<Integer> todo = new ArrayDeque<>(children.getOrDefault(pid, List.of()));
        while (!todo.isEmpty()) {
            int p = todo.removeFirst();
            out.add(p);
            todo.addAll(children.getOrDefault(p, List.of()));
        }
        return out;
    }

    @Override
    public boolean isSameLiveProcess(int pid, long startTicks) {
        return ProcStat.isSameLiveProcess(pid, startTicks);
    }

    @Override
    public boolean signal(int pid, int sig) {
        if (sig == Signals.SIGTERM || sig == Signals.SIGKILL) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty()) {
                return false;
            }
            return sig == Signals.SIGKILL ? h.get().destroyForcibly() : h.get().destroy();
        }
        try {
            syscalls.get().kill(pid, sig);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == Errno.ESRCH) {
                return false;
            }
            throw e;
        }
    }
}
