package org.jrunc.stage;

import static org.jrunc.sys.Flags.O_CLOEXEC;

import java.util.concurrent.atomic.AtomicBoolean;
import org.jrunc.JruncException;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.FdGaps;
import org.jrunc.sys.Poll;
import org.jrunc.sys.PreparedExec;
import org.jrunc.sys.PreparedSibling;
import org.jrunc.sys.Syscalls;

/**
 * The container's process when the container joins a pod's pid namespace. The init stays out of that namespace (it
 * has the host's view until pivot_root, and nothing in the pod may see it): after pivot_root a thread of the init
 * joins the pod's pid namespace for its children, takes the process's credentials, capabilities and seccomp filter
 * (ProcessExecutor) in a descriptor table of its own, closes there everything but stdio and the preserved
 * descriptors, and clones the process (CLONE_PARENT: the runtime's child) with a chain that runs no Java: it waits
 * for a go-ahead byte, makes a new session and execs. So when create returns, the container's process exists in the
 * pod with the container's root, credentials and filter, and is in the container's cgroups; `start` releases it
 * through the init, which sets its rlimits (prlimit) first.
 */
final class ProcessInJoinedPidNamespace implements ProcessExecutor.Launcher {
    private static final int SECCOMP_FILTER_FLAG_TSYNC = 1;
    private final Syscalls sys;
    private final boolean controllingTerminal;
    private final int[] keep;
    private final int goRead;
    private final int goWrite;
    private final int errnoRead;
    private final int errnoWrite;
    private final AtomicBoolean released = new AtomicBoolean();
    private PreparedSibling sibling;
    private int pid;

    /** Made on the init's main thread, so that both its descriptor table and the cloning thread's have the pipes. */
    private ProcessInJoinedPidNamespace(Syscalls sys, boolean controllingTerminal, int preserveFds) {
        this.sys = sys;
        this.controllingTerminal = controllingTerminal;
        int[] go = sys.pipe2(O_CLOEXEC);
        int[] errno = sys.pipe2(O_CLOEXEC);
        goRead = go[0];
        goWrite = go[1];
        errnoRead = errno[0];
        errnoWrite = errno[1];
        keep = new int[preserveFds + 2];
        for (int i = 0; i < preserveFds; i++) {
            keep[i] = 3 + i;
        }
        keep[preserveFds] = goRead;
        keep[preserveFds + 1] = errnoWrite;
    }

    /**
     * Clones the process into the pod's pid namespace (open as {@code pidNamespace}) from a thread of its own, which
     * runs {@code executor}'s last steps for {@code plan}; returns once the process exists, blocked until
     * {@link #release}.
     */
    static ProcessInJoinedPidNamespace clone(
            Syscalls sys, int pidNamespace, ProcessPlan processPlan, String executable) {
        ProcessPlan plan = withoutThreadSync(processPlan);
        ProcessInJoinedPidNamespace process = new ProcessInJoinedPidNamespace(sys, plan.terminal(), plan.preserveFds());
        ProcessExecutor executor = new ProcessExecutor(sys, process);
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(
                () -> {
                    try {
                        // a descriptor table of its own, which it empties before the clone; a filter, credentials
                        // and capabilities of its own (all per thread); the pod's pid namespace for its children
                        sys.unshare(CloneFlags.CLONE_FILES | CloneFlags.CLONE_FS);
                        sys.setns(pidNamespace, CloneFlags.CLONE_NEWPID);
                        executor.exec(plan, executable, false, -1, null);
                    } catch (Throwable t) {
                        failure[0] = t;
                    }
                },
                "pod-process");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while starting the container process");
        }
        if (failure[0] != null) {
            throw failure[0] instanceof RuntimeException re ? re : new JruncException(failure[0].toString());
        }
        sys.close(process.goRead);
        sys.close(process.errnoWrite);
        return process;
    }

    /**
     * SECCOMP_FILTER_FLAG_TSYNC would put the filter on every thread of this init, which goes on (waiting for start,
     * running hooks) after the clone; the process it clones has one thread, for which the flag changes nothing.
     */
    private static ProcessPlan withoutThreadSync(ProcessPlan plan) {
        ProcessPlan.SeccompPlan s = plan.seccomp();
        if (s == null || (s.flags() & SECCOMP_FILTER_FLAG_TSYNC) == 0) {
            return plan;
        }
        return plan.toBuilder()
                .seccomp(new ProcessPlan.SeccompPlan(
                        s.program(), s.flags() & ~SECCOMP_FILTER_FLAG_TSYNC, s.usesNotify(), s.listenerMetadata()))
                .build();
    }

    @Override
    public void prepare(PreparedExec image) {
        sibling = sys.prepareSibling(image, controllingTerminal, errnoWrite, goRead);
    }

    /** The last step on the cloning thread: only stdio, the preserved descriptors and the two pipe ends go along. */
    @Override
    public void launch() {
        for (FdGaps.Range gap : FdGaps.of(keep)) {
            sys.closeRange(gap.first(), gap.open() ? Integer.MAX_VALUE : gap.last(), 0);
        }
        pid = sys.startSibling(sibling);
    }

    @Override
    public boolean rlimitsAfterLaunch() {
        return true;
    }

    /** The process's pid, as the host sees it. */
    int pid() {
        return pid;
    }

    /**
     * Ends this init with the process: should it die before `start` (kill, delete --force), nothing is left waiting
     * for a start that cannot come. End of file on the errno pipe before the release means it is gone.
     */
    void exitWithIt() {
        Thread watcher = new Thread(
                () -> {
                    while (!released.get()) {
                        if (Poll.readable(errnoRead, 1000) && !released.get()) {
                            Runtime.getRuntime().halt(0);
                        }
                    }
                },
                "pod-process-watch");
        watcher.setDaemon(true);
        watcher.start();
    }

    /** `start`: sets the rlimits, lets the process exec, and waits until it did (or throws why it could not). */
    void release(ProcessExecutor executor, ProcessPlan plan) {
        executor.applyRlimits(pid, plan);
        released.set(true);
        sys.write(goWrite, new byte[] {1}, 0, 1);
        sys.close(goWrite);
        ExecveOutcome.await(sys, errnoRead, sibling.image().path());
    }
}
