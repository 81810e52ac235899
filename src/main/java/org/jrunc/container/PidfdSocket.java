package org.jrunc.container;

import static org.jrunc.sys.Flags.SOCK_STREAM;

import java.nio.charset.StandardCharsets;
import org.jrunc.JruncException;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * --pidfd-socket (runc 1.2): a pidfd of the container's process, or of an exec'd one, goes to an AF_UNIX socket in
 * one message whose payload names the kind of process as runc's does ("standard" for create, "setns" for exec). The
 * socket is connected before anything starts, so a missing listener fails the command as runc's dial does; the
 * runtime, not the process, sends it (runc's init sends its own), once the process's pid is final.
 */
final class PidfdSocket {
    static final String CREATE = "standard";
    static final String EXEC = "setns";

    private PidfdSocket() {}

    /** A stream connection to {@code path}; the caller closes it. */
    static int connect(Syscalls sys, String path) {
        try {
            return sys.connectUnix(path, SOCK_STREAM);
        } catch (SyscallException e) {
            throw new JruncException("--pidfd-socket " + path + ": " + e.getMessage());
        }
    }

    /** Sends a pidfd of {@code pid} on {@code socket}, which stays open. */
    static void send(Syscalls sys, int socket, int pid, String kind) {
        int pidfd;
        try {
            pidfd = sys.pidfdOpen(pid);
        } catch (SyscallException e) {
            throw new JruncException("--pidfd-socket: " + e.getMessage());
        }
        try {
            sys.sendFds(socket, kind.getBytes(StandardCharsets.US_ASCII), pidfd);
        } catch (SyscallException e) {
            throw new JruncException("--pidfd-socket: cannot send the pidfd: " + e.getMessage());
        } finally {
            sys.close(pidfd);
        }
    }
}
