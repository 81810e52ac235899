package org.jrunc.container;

import java.util.function.Supplier;
import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.process.Spawner;
import org.jrunc.sys.Prctl;
import org.jrunc.sys.Syscalls;
import org.jrunc.terminal.ForegroundTerminal;

/**
 * `run`: create, start, and (unless --detach) wait for the container's init, forwarding signals to it, then delete the
 * container unless --keep. The exit status is the container's (128+n for a signal), as with runc.
 */
public final class ContainerRun {
    private final ContainerHost host;
    private final Supplier<Syscalls> syscalls;
    private final Spawner spawner;

    /** @param spawner what its create starts the init with */
    public ContainerRun(ContainerHost host, Spawner spawner) {
        this.host = host;
        this.syscalls = host.syscalls();
        this.spawner = spawner;
    }

    /**
     * What `run` decides before it touches the system (see {@link CreatePlan}); a foreground run may provide the
     * terminal itself.
     */
    public static CreatePlan plan(CreateOptions options, boolean detach) {
        if (options.attachable() && !detach) {
            throw new JruncException("--attachable needs --detach with run: the container's stdio then stays with its "
                    + "monitor, to be reached with `jrunc attach " + options.id() + "`");
        }
        return CreatePlan.of(options, proxiesTerminal(options, detach));
    }

    private static boolean proxiesTerminal(CreateOptions options, boolean detach) {
        return ForegroundTerminal.needed(true, options.consoleSocket(), detach) && !options.attachable();
    }

    /** @param plan from {@link #plan} for these options */
    public int run(CreateOptions options, CreatePlan plan, boolean detach, boolean keep, boolean subreaper) {
        Supplier<Syscalls> syscalls = !detach && subreaper ? new SubreaperFirst(this.syscalls) : this.syscalls;
        boolean proxy = proxiesTerminal(options, detach) && plan.process().terminal();
        try (ForegroundTerminal tty = proxy ? ForegroundTerminal.listen(syscalls.get()) : null) {
            CreateOptions o = tty == null ? options : options.withConsoleSocket(tty.socketPath());
            int pid = new ContainerCreate(host.withSyscalls(syscalls), spawner)
                    .create(o, plan)
                    .initPid();
            Syscalls sys = syscalls.get();
            try {
                if (tty != null) {
                    tty.start();
                }
                new ContainerStart(host).start(options.id());
            } catch (RuntimeException e) {
                destroyQuietly(options.id());
                throw e;
            }
            if (detach) {
                return 0;
            }
            int code = ChildWaiter.waitForwardingSignals(sys, pid, tty == null ? null : tty::resize);
            if (!keep) {
                destroyQuietly(options.id());
            }
            return code;
        }
    }

    /**
     * Orphans inside a container without its own pid namespace are reaped by this process instead of by the host's
     * init: the attribute is set as soon as the system calls are reached, which create does before it spawns anything.
     */
    private static final class SubreaperFirst implements Supplier<Syscalls> {
        private final Supplier<Syscalls> source;
        private Syscalls sys;

        SubreaperFirst(Supplier<Syscalls> source) {
            this.source = source;
        }

        @Override
        public Syscalls get() {
            if (sys == null) {
                sys = source.get();
                sys.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
            }
            return sys;
        }
    }

    private void destroyQuietly(String id) {
        try {
            new ContainerDelete(host).delete(id, true);
        } catch (RuntimeException e) {
            Log.warn("cleanup of " + id + ": " + e.getMessage());
        }
    }
}
