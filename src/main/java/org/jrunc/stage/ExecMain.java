package org.jrunc.stage;

import static org.jrunc.sys.Flags.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.JruncException;
import org.jrunc.stage.protocol.ExecPlan;
import org.jrunc.stage.protocol.PlanCodec;
import org.jrunc.stage.protocol.ProcessPlan;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.sys.CapSets;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import org.jrunc.terminal.Pty;

/**
 * The stage `exec` starts inside a running container's namespaces: {@code ExecMain <sync-fd>}. The runtime put it
 * in every namespace but the mount namespace (a JVM cannot start inside the container's filesystem); this thread
 * joins that one itself, which the kernel allows per thread once the thread has its own fs_struct. Then it joins the
 * cgroup, looks up the executable, reports READY and becomes the process.
 */
public final class ExecMain {
    private ExecMain() {}

    public static void main(String[] args) {
        Syscalls sys = LinuxSyscalls.get();
        SyncChannel channel = new SyncChannel(sys, Integer.parseInt(args[0]));
        ExecPlan plan = null;
        try {
            int hostPid = Integer.parseInt(
                    Files.readSymbolicLink(Path.of("/proc/self")).toString());
            channel.send(SyncChannel.Type.HELLO, Integer.toString(hostPid));
            SyncChannel.Frame frame = channel.expect(SyncChannel.Type.PLAN, "the runtime went away");
            plan = PlanCodec.decodeExecPlan(frame.payload());
            run(sys, channel, plan);
        } catch (Throwable t) {
            String message = t.getMessage() == null ? t.toString() : t.getMessage();
            try {
                channel.send(SyncChannel.Type.ERROR, message);
            } catch (Throwable afterReady) {
                // READY was sent and the runtime stopped listening: the last steps before execve failed
                reportAfterReady(sys, plan, message);
            }
        }
        Runtime.getRuntime().halt(1);
    }

    /** To the runtime, which is still waiting for the execve (ExecPlan.errorPipe). */
    private static void reportAfterReady(Syscalls sys, ExecPlan plan, String message) {
        byte[] b = message.getBytes(StandardCharsets.UTF_8);
        try {
            sys.writeAll(plan != null && plan.errorPipe() >= 0 ? plan.errorPipe() : 2, b, 0, b.length);
        } catch (Throwable ignored) {
            // nowhere left to report to
        }
    }

    private static void run(Syscalls sys, SyncChannel channel, ExecPlan plan) {
        ProcessPlan p = plan.process();
        // classes used after the switch are loaded now, while the jar's directory is still reachable by path
        ExecutableLookup.class.getName();
        ProcessExecutor executor = new ProcessExecutor(sys);
        if ((sys.capget().effective() & CapSets.CAP_SYS_ADMIN) == 0) {
            throw new JruncException("the exec stage lacks CAP_SYS_ADMIN (in a user namespace: is uid 0 mapped?)");
        }
        sys.unshare(CloneFlags.CLONE_FS);
        sys.setns(plan.mountNamespace(), CloneFlags.CLONE_NEWNS);
        sys.close(plan.mountNamespace());
        if (p.terminal()) {
            executor.takeTerminalAsStdio(openPty(sys, plan.console(), p.consoleHeight(), p.consoleWidth()));
        }
        ProcessPlan finalPlan = executor.prepare(p, w -> channel.send(SyncChannel.Type.WARN, w));
        String executable = ExecutableLookup.resolve(p.args().get(0), finalPlan.env(), p.cwd());
        channel.send(SyncChannel.Type.READY, new byte[0]);
        channel.close();
        executor.exec(finalPlan, executable, p.terminal(), plan.cgroupProcs(), -1, null);
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
