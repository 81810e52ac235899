package org.jrunc.container;

import java.util.function.Supplier;
import org.jrunc.cgroups.CgroupManager;
import org.jrunc.hooks.HookPhases;
import org.jrunc.process.HostProcesses;
import org.jrunc.state.StateStore;
import org.jrunc.state.StatusProbe;
import org.jrunc.sys.Syscalls;

/**
 * What the container operations share of the host they run on: the state store (--root), the system calls (reached on
 * first use: most operations never need them), the cgroup managers, the processes (liveness, signals) and the hook
 * runner. The CLI wires this host's (cli.Operations); the operations' unit tests give a temporary store and fakes.
 */
public final class ContainerHost {
    private final StateStore store;
    private final Supplier<Syscalls> syscalls;
    private final CgroupManager.Factory cgroups;
    private final HostProcesses processes;
    private final HookPhases.Factory hooks;
    private final StatusProbe probe;

    /**
     * @param syscalls asked for only where a system call is due, so that create, run and exec can plan while JNA
     *                 initialises in the background (JnaWarmUp), and state, start, kill and delete never load it
     */
    public ContainerHost(
            StateStore store,
            Supplier<Syscalls> syscalls,
            CgroupManager.Factory cgroups,
            HostProcesses processes,
            HookPhases.Factory hooks) {
        this.store = store;
        this.syscalls = syscalls;
        this.cgroups = cgroups;
        this.processes = processes;
        this.hooks = hooks;
        this.probe = new StatusProbe(processes, cgroups);
    }

    /** The same host with other system calls (run's, which make this process a subreaper first). */
    ContainerHost withSyscalls(Supplier<Syscalls> other) {
        return new ContainerHost(store, other, cgroups, processes, hooks);
    }

    public StateStore store() {
        return store;
    }

    public Supplier<Syscalls> syscalls() {
        return syscalls;
    }

    public CgroupManager.Factory cgroups() {
        return cgroups;
    }

    public HostProcesses processes() {
        return processes;
    }

    public HookPhases.Factory hooks() {
        return hooks;
    }

    /** The status of containers on this host: {@link #processes} and {@link #cgroups} asked. */
    public StatusProbe probe() {
        return probe;
    }
}
