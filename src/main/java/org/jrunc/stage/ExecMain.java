package org.jrunc.stage;

import static org.jrunc.sys.Flags.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;
import org.jrunc.JruncException;
import org.jrunc.stage.protocol.ExecPlan;
import org.jrunc.stage.protocol.PlanCodec;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.sys.CapSets;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.terminal.Pty;

/**
 * The stage `exec` starts inside a running container's namespaces: {@code ExecMain <sync-fd>}. The runtime put it
 * in every namespace but the mount and pid namespaces (a JVM cannot start inside the container's filesystem, and
 * nothing with the host's view may be visible in the container's pid namespace); this thread joins the mount
 * namespace itself, which the kernel allows per thread once the thread has its own fs_struct, and the pid namespace
 * for its children. Then it looks up the executable, reports READY, joins the cgroup (between the initial and final
 * CPUs of process.execCPUAffinity), takes the process's credentials, and clones the process, which execs
 * ({@link ExecAsSibling}); a notify listener goes to the seccomp agent with the process's pid; STARTED tells the
 * runtime its pid, and end of file on the channel that it runs.
 */
public final class ExecMain {
    private ExecMain() {}

    public static void main(String[] args) {
        Syscalls sys = LinuxSyscalls.get();
        SyncChannel channel = new SyncChannel(sys, Integer.parseInt(args[0]));
        int status = 1;
        try {
            int hostPid = Integer.parseInt(
                    Files.readSymbolicLink(Path.of("/proc/self")).toString());
            channel.send(SyncChannel.Type.HELLO, Integer.toString(hostPid));
            SyncChannel.Frame frame = channel.expect(SyncChannel.Type.PLAN, "the runtime went away");
            run(sys, channel, PlanCodec.decodeExecPlan(frame.payload()));
            status = 0;
        } catch (Throwable t) {
            String message = t.getMessage() == null ? t.toString() : t.getMessage();
            try {
                channel.send(SyncChannel.Type.ERROR, message);
            } catch (Throwable gone) {
                // the runtime stopped listening: nowhere left to report to
            }
        }
        Runtime.getRuntime().halt(status);
    }

    private static void run(Syscalls sys, SyncChannel channel, ExecPlan plan) {
        ProcessPlan p = plan.process();
        // classes used after the switch are loaded now, while the jar's directory is still reachable by path
        ExecutableLookup.class.getName();
        ExecAsSibling launcher = new ExecAsSibling(sys, p.terminal());
        ProcessExecutor executor = new ProcessExecutor(sys, launcher);
        if ((sys.capget().effective() & CapSets.CAP_SYS_ADMIN) == 0) {
            throw new JruncException("the exec stage lacks CAP_SYS_ADMIN (in a user namespace: is uid 0 mapped?)");
        }
        sys.unshare(CloneFlags.CLONE_FS);
        sys.setns(plan.mountNamespace(), CloneFlags.CLONE_NEWNS);
        sys.close(plan.mountNamespace());
        if (plan.root() >= 0) {
            // a container sharing its mount namespace was entered with chroot: setns gave the namespace's root
            sys.fchdir(plan.root());
            sys.chroot(".");
            sys.chdir("/");
            sys.close(plan.root());
        }
        if (plan.pidNamespace() >= 0) {
            // for this thread's children only: the process is born in it, with this thread's root already
            sys.setns(plan.pidNamespace(), CloneFlags.CLONE_NEWPID);
            sys.close(plan.pidNamespace());
        }
        if (p.terminal()) {
            executor.takeTerminalAsStdio(openPty(sys, plan.console(), p.consoleHeight(), p.consoleWidth()));
        }
        ProcessPlan finalPlan = executor.prepare(p, new Warnings(channel));
        String executable = ExecutableLookup.resolve(p.args().get(0), finalPlan.env(), p.cwd());
        channel.send(SyncChannel.Type.READY, new byte[0]);
        // process.execCPUAffinity (config.md): "initial" for this thread's move into the container's cgroup, which may
        // reset it to the cgroup's cpuset, "final" after it; the process inherits what this thread has at the clone
        setAffinity(sys, plan.initialCpus(), "initial");
        executor.joinCgroups(plan.cgroupProcs());
        setAffinity(sys, plan.finalCpus(), "final");
        // the terminal becomes the controlling one of the process's own session, in the child
        HeldListener listener = new HeldListener();
        executor.exec(finalPlan, executable, false, plan.seccompListener(), listener);
        if (listener.fd > 0) {
            // only now is the pid known: the process runs meanwhile, and waits for the agent on its first notified call
            SeccompAgent.send(
                    sys,
                    listener.socket,
                    listener.fd,
                    launcher.pid(),
                    p.seccomp().listenerMetadata(),
                    plan.stateJson());
        }
        channel.send(SyncChannel.Type.STARTED, Integer.toString(launcher.pid()));
        launcher.awaitExecve();
        // end of file now, not when this JVM's memory has been torn down at its exit: `exec` does not wait for that
        channel.close();
    }

    /** sched_setaffinity of this thread to {@code cpus}, when set; a refusal names the field. */
    private static void setAffinity(Syscalls sys, long[] cpus, String which) {
        if (cpus == null) {
            return;
        }
        try {
            sys.schedSetaffinity(0, cpus);
        } catch (SyscallException e) {
            throw new JruncException("process.execCPUAffinity." + which + ": " + e.getMessage());
        }
    }

    /**
     * The notify listener, held until the process is cloned: the agent's message names the process's pid. Both
     * descriptors are close-on-exec (the listener is made so, the socket by the executor's close_range), so the
     * process, which has copies of them until its execve, does not keep them.
     */
    private static final class HeldListener implements ProcessExecutor.SeccompListener {
        private int socket = -1;
        private int fd = -1;

        @Override
        public void send(int socket, int listenerFd) {
            this.socket = socket;
            this.fd = listenerFd;
        }
    }

    /** Warnings to the runtime. A named class: a lambda here would be spun at every exec (the training cannot run it). */
    private static final class Warnings implements Consumer<String> {
        private final SyncChannel channel;

        Warnings(SyncChannel channel) {
            this.channel = channel;
        }

        @Override
        public void accept(String warning) {
            channel.send(SyncChannel.Type.WARN, warning);
        }
    }

    /** A pty from the container's own devpts, its master sent to --console-socket as runc does. */
    private static int openPty(Syscalls sys, int consoleSocket, int rows, int cols) {
        if (consoleSocket < 0) {
            throw new JruncException("--tty needs a --console-socket");
        }
        int master = sys.open("/dev/pts/ptmx", O_RDWR | O_NOCTTY, 0);
        return Pty.openAndSend(sys, master, consoleSocket, rows, cols).peer();
    }
}
