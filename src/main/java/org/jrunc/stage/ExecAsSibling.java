package org.jrunc.stage;

import static org.jrunc.sys.Flags.O_CLOEXEC;

import org.jrunc.sys.PreparedExec;
import org.jrunc.sys.PreparedSibling;
import org.jrunc.sys.Syscalls;

/**
 * The exec stage's last step: rather than becoming the process, it clones it as the runtime's child (CLONE_PARENT)
 * from the thread that joined the container's mount namespace and root and, for its children, the container's pid
 * namespace. The stage itself is never in that pid namespace, so no container process can see it, or reach the
 * host's filesystem through its /proc/PID/root, while it still has the host's view (issue 11, defect 5). The child
 * runs no Java: it inherits this thread's credentials, capabilities and seccomp filter, makes a new session (and takes
 * the terminal), and execs.
 */
final class ExecAsSibling implements ProcessExecutor.Launcher {
    private final Syscalls sys;
    private final boolean controllingTerminal;
    private PreparedSibling sibling;
    private int errnoRead = -1;
    private int errnoWrite = -1;
    private int pid;

    ExecAsSibling(Syscalls sys, boolean controllingTerminal) {
        this.sys = sys;
        this.controllingTerminal = controllingTerminal;
    }

    @Override
    public void prepare(PreparedExec image) {
        int[] errnoPipe = sys.pipe2(O_CLOEXEC);
        errnoRead = errnoPipe[0];
        errnoWrite = errnoPipe[1];
        sibling = sys.prepareSibling(image, controllingTerminal, errnoWrite, -1);
    }

    @Override
    public void launch() {
        pid = sys.startSibling(sibling);
        sys.close(errnoWrite);
    }

    /** The process's pid, as the runtime (its parent) sees it. */
    int pid() {
        return pid;
    }

    /**
     * Waits for the process's execve: end of file on the close-on-exec pipe when it succeeded, else the errno the
     * child wrote before it exited (thrown as execve's failure).
     */
    void awaitExecve() {
        ExecveOutcome.await(sys, errnoRead, sibling.image().path());
    }
}
