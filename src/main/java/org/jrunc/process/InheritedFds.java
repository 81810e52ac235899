package org.jrunc.process;

import static org.jrunc.sys.Flags.FD_CLOEXEC;
import static org.jrunc.sys.Flags.F_SETFD;

import org.jrunc.sys.PosixSpawn;
import org.jrunc.sys.Syscalls;

/**
 * The descriptors a spawn passes on: CLOEXEC is cleared on them only for the duration of the spawn (every other
 * descriptor of this JVM stays CLOEXEC, and the child closes whatever is not passed itself, see
 * {@link org.jrunc.sys.FdGaps}).
 */
final class InheritedFds {
    interface Spawn {
        int start();
    }

    private InheritedFds() {}

    static int around(Syscalls sys, int[] fds, PosixSpawn spawn) {
        return around(sys, fds, new Spawn() {
            @Override
            public int start() {
                return spawn.start();
            }
        });
    }

    static int around(Syscalls sys, int[] fds, Spawn spawn) {
        for (int fd : fds) {
            sys.fcntl(fd, F_SETFD, 0);
        }
        try {
            return spawn.start();
        } finally {
            for (int fd : fds) {
                sys.fcntl(fd, F_SETFD, FD_CLOEXEC);
            }
        }
    }
}
