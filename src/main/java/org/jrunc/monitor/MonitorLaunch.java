package org.jrunc.monitor;

import static org.jrunc.sys.Flags.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.attach.AttachSocket;
import org.jrunc.process.InitCommand;
import org.jrunc.process.ProcStat;
import org.jrunc.sys.Poll;
import org.jrunc.sys.PosixSpawn;
import org.jrunc.sys.Syscalls;

/**
 * What `create --attachable` does about the monitor: binds the attach socket, makes the container's stdio (pipes, or
 * a socket pair on which the init sends the pty master), and starts the monitor with posix_spawn (no Java runs in the
 * child, docs/PROCESS-CREATION.md) in a session of its own with /dev/null as stdio, so that it survives create and
 * holds nothing of its caller's. The monitor starts before the init and in parallel with it; create waits for it to be
 * ready only at its very end.
 */
public final class MonitorLaunch {
    public static final String MAIN_CLASS = "org.jrunc.monitor.MonitorMain";
    /** A monitor only shuffles bytes: a small heap keeps its footprint down (it lives as long as the container). */
    private static final List<String> VM_OPTIONS = List.of("-Xmx16m", "-XX:MaxMetaspaceSize=32m");

    private static final int READY_TIMEOUT_MILLIS = 60_000;

    private final Syscalls sys;
    private final int pid;
    private final long startTicks;
    private int controlFd;
    private int readyFd;
    private final int[] initStdio;
    private final int console;
    private final List<Integer> initSide;

    private MonitorLaunch(
            Syscalls sys, int pid, int controlFd, int readyFd, int[] initStdio, int console, List<Integer> initSide) {
        this.sys = sys;
        this.pid = pid;
        ProcStat st = ProcStat.read(pid);
        this.startTicks = st == null ? 0 : st.startTicks();
        this.controlFd = controlFd;
        this.readyFd = readyFd;
        this.initStdio = initStdio;
        this.console = console;
        this.initSide = initSide;
    }

    /** Starts the monitor of the container whose state directory is {@code stateDir}. */
    public static MonitorLaunch start(Syscalls sys, Path stateDir, boolean terminal) {
        List<Integer> monitorSide = new ArrayList<>();
        List<Integer> ours = new ArrayList<>();
        List<Integer> initSide = new ArrayList<>();
        try {
            int devNull = high(sys, sys.open("/dev/null", O_RDWR | O_CLOEXEC, 0));
            initSide.add(devNull);
            monitorSide.add(high(sys, AttachSocket.listen(sys, stateDir)));
            int[] control = pipe(sys);
            int[] ready = pipe(sys);
            monitorSide.add(control[0]);
            monitorSide.add(ready[1]);
            ours.add(control[1]);
            ours.add(ready[0]);
            int[] initStdio;
            int console = -1;
            if (terminal) {
                int[] pair = sys.socketpair(AF_UNIX, SOCK_STREAM);
                monitorSide.add(high(sys, pair[0]));
                console = high(sys, pair[1]);
                initSide.add(console);
                initStdio = new int[] {devNull, devNull, devNull};
            } else {
                int[] in = pipe(sys);
                int[] out = pipe(sys);
                int[] err = pipe(sys);
                monitorSide.addAll(List.of(in[1], out[0], err[0]));
                initStdio = new int[] {in[0], out[1], err[1]};
                initSide.addAll(List.of(in[0], out[1], err[1]));
            }
            int pid = spawn(sys, devNull, monitorSide, terminal ? "terminal" : "pipes", stateDir);
            closeAll(sys, monitorSide);
            return new MonitorLaunch(sys, pid, control[1], ready[0], initStdio, console, initSide);
        } catch (RuntimeException e) {
            closeAll(sys, monitorSide);
            closeAll(sys, ours);
            closeAll(sys, initSide);
            throw e;
        }
    }

    /** Descriptors 0, 1, 2 of the monitor are /dev/null, then {@code fds} in {@link MonitorFds}'s order, nothing else. */
    private static int spawn(Syscalls sys, int devNull, List<Integer> fds, String mode, Path stateDir) {
        String[] argv = InitCommand.build(VM_OPTIONS, MAIN_CLASS, mode, stateDir.toString());
        List<Integer> sources = new ArrayList<>(List.of(devNull, devNull, devNull));
        sources.addAll(fds);
        PosixSpawn spawn = new PosixSpawn(argv[0], argv, InitCommand.environment()).setsid(true);
        List<Integer> moved = new ArrayList<>();
        try {
            for (int target = 0; target < sources.size(); target++) {
                // above every target, so that no placement overwrites a source still to be placed
                int fd = PosixSpawn.moveAboveFds(sys, sources.get(target), sources.size());
                moved.add(fd);
                spawn.dup(fd, target);
            }
            spawn.closeFrom(sources.size());
            return spawn.start();
        } finally {
            closeAll(sys, moved);
        }
    }

    public int pid() {
        return pid;
    }

    public long startTicks() {
        return startTicks;
    }

    /** The init's stdin, stdout and stderr: the container's ends of the pipes, or /dev/null with a terminal. */
    public int[] initStdio() {
        return initStdio.clone();
    }

    /** With a terminal: the socket the init sends the pty master on (in place of --console-socket), else -1. */
    public int consoleFd() {
        return console;
    }

    /** Closes this process's copies of what the init got; the init holds them from now on. */
    public void closeInitSide() {
        closeAll(sys, initSide);
        initSide.clear();
    }

    /** Tells the monitor which process is the container's init. */
    public void tellInit(int initPid, long initStartTicks) {
        byte[] line = (initPid + " " + initStartTicks + "\n").getBytes(StandardCharsets.US_ASCII);
        sys.write(controlFd, line, 0, line.length);
    }

    /** Waits until the monitor serves (a JVM start, overlapped with the init's), then lets it go its own way. */
    public void awaitReady() {
        if (!Poll.readable(readyFd, READY_TIMEOUT_MILLIS)) {
            throw new JruncException("the attach monitor (pid " + pid + ") did not report ready within "
                    + READY_TIMEOUT_MILLIS / 1000 + " s");
        }
        if (sys.read(readyFd, new byte[1], 0, 1) != 1) {
            throw new JruncException("the attach monitor (pid " + pid + ") exited before it was ready");
        }
        closeControl();
    }

    private void closeControl() {
        for (int fd : new int[] {controlFd, readyFd}) {
            if (fd >= 0) {
                sys.close(fd);
            }
        }
        controlFd = -1;
        readyFd = -1;
    }

    /** Undoes the launch after a failed create: the monitor is this process's child. */
    public void kill() {
        closeInitSide();
        closeControl();
        sys.killAndReap(pid);
    }

    private static int[] pipe(Syscalls sys) {
        int[] p = sys.pipe2(O_CLOEXEC);
        return new int[] {high(sys, p[0]), high(sys, p[1])};
    }

    /** A descriptor at 3 or above: one below could be overwritten when the init's stdio is placed at 0, 1 and 2. */
    private static int high(Syscalls sys, int fd) {
        if (fd > 2) {
            return fd;
        }
        int moved = PosixSpawn.moveAboveFds(sys, fd, 3);
        sys.close(fd);
        return moved;
    }

    private static void closeAll(Syscalls sys, List<Integer> fds) {
        for (int fd : fds) {
            sys.close(fd);
        }
    }
}
