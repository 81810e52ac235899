package org.jrunc.container;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.state.StateStore;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.Prctl;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import sun.misc.Signal;

/**
 * `run`: create, start, and (unless --detach) wait for the container's init, forwarding signals to it, then delete the
 * container unless --keep. The exit status is the container's (128+n for a signal), as with runc.
 */
public final class ContainerRun {
    private static final List<String> FORWARDED = List.of("HUP", "INT", "QUIT", "USR1", "USR2", "TERM", "WINCH",
            "CONT", "ALRM");

    private final StateStore store;
    private final Syscalls sys;

    public ContainerRun(StateStore store, Syscalls sys) {
        this.store = store;
        this.sys = sys;
    }

    public int run(CreateOptions options, boolean detach, boolean keep, boolean subreaper) {
        if (!detach && subreaper) {
            // orphans inside a container without its own pid namespace are reaped here instead of by the host's init
            sys.prctl(Prctl.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
        }
        ContainerCreate.Created created = new ContainerCreate(store, sys).create(options);
        int pid = created.initPid();
        try {
            new ContainerStart(store).start(options.id());
        } catch (RuntimeException e) {
            destroyQuietly(options.id());
            throw e;
        }
        if (detach) {
            return 0;
        }
        for (String name : FORWARDED) {
            try {
                Signal.handle(new Signal(name), s -> Signals.send(pid, s.getNumber()));
            } catch (IllegalArgumentException e) {
                // the JVM reserves this one (e.g. QUIT for thread dumps); it is not forwarded
            }
        }
        int status = waitForInit(pid);
        if (!keep) {
            destroyQuietly(options.id());
        }
        return (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
    }

    /** Reaps children until the init itself exits; others are orphans this subreaper inherited. */
    private int waitForInit(int pid) {
        while (true) {
            int[] w;
            try {
                w = sys.waitpid(-1, Flags.WALL);
            } catch (SyscallException e) {
                if (e.errno() == Errno.ECHILD) {
                    throw new JruncException("lost track of the container init " + pid);
                }
                throw e;
            }
            if (w[0] == pid) {
                return w[1];
            }
        }
    }

    private void destroyQuietly(String id) {
        try {
            new ContainerDelete(store).delete(id, true);
        } catch (RuntimeException e) {
            org.jrunc.log.Log.warn("cleanup of " + id + ": " + e.getMessage());
        }
    }
}
