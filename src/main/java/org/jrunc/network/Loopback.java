package org.jrunc.network;

import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * The loopback device of a network namespace made for the container, which the kernel makes down: set up, as runc's
 * "loopback" network and crun do (the runtime-spec is silent), so that 127.0.0.1 works in a container without other
 * networking (podman's --network none). A namespace joined by path is left as its owner set it up.
 */
public final class Loopback {
    /** lo's index in every network namespace (the kernel's LOOPBACK_IFINDEX). */
    static final int INDEX = 1;

    private Loopback() {}

    /** Sets lo up in this thread's network namespace. */
    public static void up(Syscalls sys) {
        int fd = sys.netlinkSocket(Flags.NETLINK_ROUTE);
        try {
            RouteSocket route = new RouteSocket(sys);
            route.exchange(fd, RouteMessages.setUp(route.next(), INDEX), RouteMessages.NLMSG_ERROR);
        } catch (SyscallException e) {
            throw new JruncException("setting up the loopback device of the container's network namespace: "
                    + Errno.describe(e.errno()));
        } finally {
            sys.close(fd);
        }
    }
}
