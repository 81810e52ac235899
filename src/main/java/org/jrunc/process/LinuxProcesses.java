package org.jrunc.process;

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
