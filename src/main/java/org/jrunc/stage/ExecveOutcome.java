package org.jrunc.stage;

import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * How a process cloned with a prepared chain (ForkChain) ended its execve: end of file on the close-on-exec errno
 * pipe when it succeeded, else the 4 bytes of errno the chain wrote before it exited.
 */
final class ExecveOutcome {
    private ExecveOutcome() {}

    /** Waits for the execve of {@code path}; throws its failure. Closes {@code errnoRead}. */
    static void await(Syscalls sys, int errnoRead, String path) {
        byte[] errno = new byte[4];
        int n = 0;
        while (n < 4) {
            int got = sys.read(errnoRead, errno, n, 4 - n);
            if (got <= 0) {
                break;
            }
            n += got;
        }
        sys.close(errnoRead);
        if (n == 4) {
            int code = (errno[0] & 0xff) | (errno[1] & 0xff) << 8 | (errno[2] & 0xff) << 16 | (errno[3] & 0xff) << 24;
            throw new SyscallException("execve", path, code);
        }
    }
}
