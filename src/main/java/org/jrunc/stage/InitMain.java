package org.jrunc.stage;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.log.Log;
import org.jrunc.log.Trace;
import org.jrunc.stage.protocol.InitPlan;
import org.jrunc.stage.protocol.PlanCodec;
import org.jrunc.stage.protocol.SyncChannel;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;

/**
 * Entry point of the container init JVM: {@code InitMain <sync-fd>}. Its stdin, stdout and stderr belong to the
 * container, so it never prints; every failure travels over the sync channel, or to the --log descriptor once create
 * has returned.
 */
public final class InitMain {
    private InitMain() {}

    public static void main(String[] args) {
        Trace.mark("init", "main");
        Syscalls sys = LinuxSyscalls.get();
        SyncChannel channel = new SyncChannel(sys, Integer.parseInt(args[0]));
        InitPlan plan;
        int hostPid;
        try {
            // the host's /proc is still mounted here: "self" names this process as the host sees it
            hostPid = Integer.parseInt(
                    Files.readSymbolicLink(Path.of("/proc/self")).toString());
            channel.send(SyncChannel.Type.HELLO, Integer.toString(hostPid));
            Trace.mark("init", "hello sent");
            SyncChannel.Frame frame = channel.receive();
            if (frame == null || frame.type() != SyncChannel.Type.PLAN) {
                // the runtime died before sending the plan
                Runtime.getRuntime().halt(1);
                return;
            }
            Trace.mark("init", "plan received");
            plan = PlanCodec.decodeInitPlan(frame.payload());
            Trace.mark("init", "plan decoded");
        } catch (Throwable t) {
            Runtime.getRuntime().halt(1);
            return;
        }
        ContainerInit init = new ContainerInit(sys, plan, channel, hostPid);
        try {
            init.run();
            // the container's process was cloned into a pod's pid namespace and runs: this init's work is done
            Runtime.getRuntime().halt(0);
        } catch (Throwable t) {
            String message = t.getMessage() == null ? t.toString() : t.getMessage();
            if (!init.isReady()) {
                try {
                    channel.send(SyncChannel.Type.ERROR, message);
                } catch (Throwable ignored) {
                    // the runtime is gone; nothing left to tell
                }
            } else {
                logAfterReady(sys, plan, message);
                try {
                    init.reportToStart(message);
                } catch (Throwable ignored) {
                    // `start` is gone; the log has it
                }
            }
        }
        Runtime.getRuntime().halt(1);
    }

    private static void logAfterReady(Syscalls sys, InitPlan plan, String message) {
        byte[] b = (Log.format("error", message, plan.logJson()) + "\n").getBytes(StandardCharsets.UTF_8);
        int fd = plan.fds().log() >= 0 ? plan.fds().log() : 2;
        try {
            sys.write(fd, b, 0, b.length);
        } catch (Throwable ignored) {
            // no log to write to
        }
    }
}
