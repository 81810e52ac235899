package org.jrunc.monitor;

import static org.jrunc.sys.Flags.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.attach.AttachFrame;
import org.jrunc.attach.OutputRing;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Poll;
import org.jrunc.sys.PollSet;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * The monitor's event loop: reads the container's output into the ring and out to every attached client, passes
 * clients' input to the container, accepts new clients (replaying the ring to them), and tells them the exit status
 * when the container exits. It then keeps serving the output it holds until `delete` kills it; should delete never come
 * (the state directory is gone), it ends by itself.
 */
final class Monitor {
    /** How often the monitor checks that its container still exists while nothing happens. */
    private static final int IDLE_CHECK_MILLIS = 5000;
    /** How long a client may leave output unread before it is disconnected. */
    private static final int CLIENT_STALL_MILLIS = 2000;

    private interface Handler {
        void ready(short revents);
    }

    private record Watch(int fd, short events, Handler handler) {}

    private final Syscalls sys;
    private final Path stateFile;
    private final ContainerStdio stdio;
    private final OutputRing ring;
    private final ExitTracker exit;
    private final List<Integer> clients = new ArrayList<>();
    private final byte[] buf = new byte[AttachFrame.MAX_PAYLOAD + 1];
    private final StringBuilder control = new StringBuilder();
    private int controlFd = MonitorFds.CONTROL;
    private boolean initKnown;
    private boolean stop;

    Monitor(Syscalls sys, Path stateDir, ContainerStdio stdio, OutputRing ring) {
        this.sys = sys;
        this.stateFile = stateDir.resolve("state.json");
        this.stdio = stdio;
        this.ring = ring;
        this.exit = new ExitTracker(sys);
    }

    void run() {
        sys.write(MonitorFds.READY, new byte[] {1}, 0, 1);
        sys.close(MonitorFds.READY);
        while (!stop) {
            List<Watch> watches = watches();
            PollSet set = new PollSet();
            for (Watch w : watches) {
                set.add(w.fd(), w.events());
            }
            if (set.poll(IDLE_CHECK_MILLIS) == 0) {
                stop = !Files.exists(stateFile);
                continue;
            }
            for (int i = 0; i < watches.size() && !stop; i++) {
                if (set.revents(i) != 0) {
                    watches.get(i).handler().ready(set.revents(i));
                }
            }
        }
    }

    private List<Watch> watches() {
        List<Watch> w = new ArrayList<>();
        w.add(new Watch(MonitorFds.LISTENER, PollSet.POLLIN, r -> accept()));
        if (controlFd >= 0) {
            w.add(new Watch(controlFd, PollSet.POLLIN, r -> readControl()));
        }
        if (stdio.consoleSocket() >= 0) {
            w.add(new Watch(stdio.consoleSocket(), PollSet.POLLIN, r -> stdio.receiveMaster()));
        }
        for (ContainerStdio.Output o : stdio.outputs()) {
            w.add(new Watch(o.fd(), PollSet.POLLIN, r -> relayOutput(o)));
        }
        if (stdio.inputPending()) {
            w.add(new Watch(stdio.inputFd(), PollSet.POLLOUT, r -> stdio.flushInput()));
        }
        if (exit.eventsFd() >= 0) {
            w.add(new Watch(exit.eventsFd(), PollSet.POLLIN, r -> exit.readEvent()));
        }
        if (exit.pidfd() >= 0) {
            w.add(new Watch(exit.pidfd(), PollSet.POLLIN, r -> containerExited()));
        }
        // while the container has not taken the last input, clients are only watched for hang-up (backpressure)
        short clientEvents = stdio.inputPending() ? 0 : PollSet.POLLIN;
        for (int c : clients) {
            w.add(new Watch(c, clientEvents, r -> readClient(c, r)));
        }
        return w;
    }

    /** create sends "PID START_TICKS\n" once it knows the init, and closes the pipe when it is done. */
    private void readControl() {
        int n = sys.read(controlFd, buf, 0, 64);
        if (n > 0) {
            control.append(new String(buf, 0, n, StandardCharsets.US_ASCII));
            int nl = control.indexOf("\n");
            if (nl > 0 && !initKnown) {
                String[] f = control.substring(0, nl).trim().split(" ");
                initKnown = true;
                exit.watch(Integer.parseInt(f[0]), Long.parseLong(f[1]));
            }
            return;
        }
        sys.close(controlFd);
        controlFd = -1;
        // create ended without naming an init: it failed (and its undo may not have reached this process)
        stop = !initKnown;
    }

    private void accept() {
        int c = sys.accept(MonitorFds.LISTENER);
        sys.fcntl(c, F_SETFL, sys.fcntl(c, F_GETFL, 0) | O_NONBLOCK);
        clients.add(c);
        for (OutputRing.Chunk chunk : ring.contents()) {
            if (!send(c, AttachFrame.encode(chunk.stream(), chunk.data(), 0, chunk.data().length))) {
                return;
            }
        }
        if (exit.exited()) {
            send(c, AttachFrame.exit(exit.exitCode()));
        }
    }

    private void relayOutput(ContainerStdio.Output o) {
        byte[] data = stdio.read(o, buf);
        if (data == null || data.length == 0) {
            return;
        }
        ring.append(o.stream(), data, 0, data.length);
        byte[] frame = AttachFrame.encode(o.stream(), data, 0, data.length);
        for (int c : new ArrayList<>(clients)) {
            send(c, frame);
        }
    }

    private void readClient(int c, short revents) {
        int n;
        try {
            n = (revents & PollSet.POLLIN) != 0 ? sys.read(c, buf, 0, buf.length) : 0;
        } catch (SyscallException e) {
            n = e.errno() == Errno.EAGAIN ? -1 : 0;
        }
        if (n < 0) {
            return;
        }
        AttachFrame f = AttachFrame.decode(buf, n);
        if (f == null) {
            disconnect(c);
            return;
        }
        try {
            act(f);
        } catch (SyscallException e) {
            disconnect(c); // e.g. a resize of a pty that is gone: the client's request failed, the monitor goes on
        }
    }

    private void act(AttachFrame f) {
        switch (f.type()) {
            case AttachFrame.STDIN:
                stdio.queueInput(f.payload());
                stdio.flushInput();
                break;
            case AttachFrame.CLOSE_STDIN:
                stdio.closeInputWhenDrained();
                break;
            case AttachFrame.RESIZE:
                int[] size = f.windowSize();
                if (size != null) {
                    stdio.resize(size[0], size[1]);
                }
                break;
            default:
                break; // unknown types are ignored, so a newer client still works
        }
    }

    /** The init has exited: what it wrote last is read before the status goes out, so clients get it first. */
    private void containerExited() {
        for (ContainerStdio.Output o : new ArrayList<>(stdio.outputs())) {
            for (int i = 0; i < 64 && stdio.outputs().contains(o) && Poll.readable(o.fd(), 0); i++) {
                relayOutput(o);
            }
        }
        exit.finish();
        byte[] frame = AttachFrame.exit(exit.exitCode());
        for (int c : new ArrayList<>(clients)) {
            send(c, frame);
        }
    }

    /** Sends one message; a client that has gone, or does not read for too long, is disconnected. */
    private boolean send(int c, byte[] frame) {
        for (int attempt = 0; attempt < 2; attempt++) {
            try {
                sys.write(c, frame, 0, frame.length);
                return true;
            } catch (SyscallException e) {
                if (e.errno() != Errno.EAGAIN || attempt > 0) {
                    break;
                }
                PollSet out = new PollSet();
                out.add(c, PollSet.POLLOUT);
                out.poll(CLIENT_STALL_MILLIS);
            }
        }
        disconnect(c);
        return false;
    }

    private void disconnect(int c) {
        if (clients.remove((Integer) c)) {
            sys.close(c);
        }
    }
}
