package org.jrunc.monitor;

import static org.jrunc.sys.Flags.*;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jrunc.attach.AttachFrame;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.Tty;

/**
 * The monitor's side of the container's stdio: three pipes, or a pty master that arrives on the console socket once
 * the init has made the pty. Input is written without blocking and queued while the container does not read, so a
 * container that ignores its stdin can never stall the monitor (and with it, its output).
 */
final class ContainerStdio {
    /** An output descriptor and the stream id its bytes are framed with. */
    record Output(int fd, byte stream) {}

    private final Syscalls sys;
    private final List<Output> outputs = new ArrayList<>();
    private final ArrayDeque<byte[]> pendingInput = new ArrayDeque<>();
    private int pendingOffset;
    private int input = -1;
    private int consoleSocket = -1;
    private boolean closeInputWhenDrained;

    private ContainerStdio(Syscalls sys) {
        this.sys = sys;
    }

    static ContainerStdio pipes(Syscalls sys, int stdin, int stdout, int stderr) {
        ContainerStdio s = new ContainerStdio(sys);
        s.input = nonBlocking(sys, stdin);
        s.outputs.add(new Output(nonBlocking(sys, stdout), AttachFrame.STDOUT));
        s.outputs.add(new Output(nonBlocking(sys, stderr), AttachFrame.STDERR));
        return s;
    }

    static ContainerStdio terminal(Syscalls sys, int consoleSocket) {
        ContainerStdio s = new ContainerStdio(sys);
        s.consoleSocket = consoleSocket;
        return s;
    }

    private static int nonBlocking(Syscalls sys, int fd) {
        sys.fcntl(fd, F_SETFL, sys.fcntl(fd, F_GETFL, 0) | O_NONBLOCK);
        return fd;
    }

    /** The socket the pty master is still to arrive on, or -1. */
    int consoleSocket() {
        return consoleSocket;
    }

    /** Takes the pty master from the console socket (runc's message: the pty's name, the fd by SCM_RIGHTS). */
    void receiveMaster() {
        byte[] name = new byte[4096];
        int[] len = new int[1];
        int[] fds;
        try {
            fds = sys.recvFds(consoleSocket, name, len, 4);
        } catch (SyscallException e) {
            fds = new int[0];
        }
        sys.close(consoleSocket);
        consoleSocket = -1;
        if (fds.length == 0) {
            return; // the init died before it made the pty; the exit is noticed elsewhere
        }
        for (int i = 1; i < fds.length; i++) {
            sys.close(fds[i]);
        }
        int master = nonBlocking(sys, fds[0]);
        input = master;
        outputs.add(new Output(master, AttachFrame.STDOUT));
    }

    List<Output> outputs() {
        return outputs;
    }

    /**
     * Reads what one output has; null at end of file (the descriptor is then dropped: for a pty, EIO means the last
     * holder of its other end has gone).
     */
    byte[] read(Output o, byte[] buf) {
        int n;
        try {
            n = sys.read(o.fd(), buf, 0, AttachFrame.MAX_PAYLOAD);
        } catch (SyscallException e) {
            if (e.errno() == Errno.EAGAIN) {
                return new byte[0];
            }
            n = 0;
        }
        if (n == 0) {
            drop(o);
            return null;
        }
        return Arrays.copyOf(buf, n);
    }

    private void drop(Output o) {
        outputs.remove(o);
        if (o.fd() == input) {
            input = -1;
            discardInput();
        }
        sys.close(o.fd());
    }

    /** True while input waits for the container to read it: the monitor then takes no more from its clients. */
    boolean inputPending() {
        return !pendingInput.isEmpty();
    }

    int inputFd() {
        return input;
    }

    void queueInput(byte[] data) {
        if (input >= 0 && data.length > 0) {
            pendingInput.addLast(data);
        }
    }

    /** A client asked to close the container's stdin: done once what is queued has been written. */
    void closeInputWhenDrained() {
        closeInputWhenDrained = true;
        flushInput();
    }

    /** Writes as much queued input as the container takes now. */
    void flushInput() {
        while (input >= 0 && !pendingInput.isEmpty()) {
            byte[] head = pendingInput.peekFirst();
            int n;
            try {
                n = sys.write(input, head, pendingOffset, head.length - pendingOffset);
            } catch (SyscallException e) {
                if (e.errno() == Errno.EAGAIN) {
                    return;
                }
                discardInput(); // EPIPE: nobody reads the container's stdin any more
                break;
            }
            pendingOffset += n;
            if (pendingOffset == head.length) {
                pendingInput.removeFirst();
                pendingOffset = 0;
            }
        }
        if (closeInputWhenDrained && pendingInput.isEmpty() && input >= 0 && !inputIsPty()) {
            sys.close(input);
            input = -1;
        }
    }

    private void discardInput() {
        pendingInput.clear();
        pendingOffset = 0;
    }

    /** A pty master is input and output at once; pipes are separate descriptors. */
    private boolean inputIsPty() {
        return input >= 0 && outputs.stream().anyMatch(o -> o.fd() == input);
    }

    /** The attaching terminal's size, set on the pty (pipes have none). */
    void resize(int rows, int cols) {
        if (inputIsPty()) {
            sys.ioctlBuffer(input, Tty.TIOCSWINSZ, Tty.winsize(rows, cols));
        }
    }
}
