package org.jrunc.namespaces;

import static org.jrunc.sys.Flags.O_CLOEXEC;
import static org.jrunc.sys.Flags.O_RDONLY;

import java.util.List;
import org.jrunc.config.IdMapping;
import org.jrunc.sys.Syscalls;

/**
 * A descriptor of a new user namespace with the given uid and gid maps, owned by no process: what mount_setattr's
 * MOUNT_ATTR_IDMAP takes. The JVM cannot unshare a user namespace (it is multithreaded), so a short-lived child is
 * cloned into one ({@link Syscalls#startIdleInNewUserNamespace}, no Java in the child), its maps are written, its
 * /proc/PID/ns/user is opened, and it is killed and reaped; the descriptor keeps the namespace alive (crun and runc do
 * the same).
 */
public final class MappedUserNamespace {
    private MappedUserNamespace() {}

    public static int open(Syscalls sys, List<IdMapping> uids, List<IdMapping> gids) {
        int[] hold = sys.pipe2(O_CLOEXEC);
        int pid = -1;
        try {
            pid = sys.startIdleInNewUserNamespace(hold[0]);
            IdMaps.write(pid, uids, gids);
            return sys.open("/proc/" + pid + "/ns/user", O_RDONLY | O_CLOEXEC, 0);
        } finally {
            if (pid > 0) {
                sys.killAndAlwaysReap(pid);
            }
            sys.close(hold[0]);
            sys.close(hold[1]);
        }
    }
}
