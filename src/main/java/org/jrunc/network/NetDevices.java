package org.jrunc.network;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.config.NetDevice;
import org.jrunc.sys.CloneFlags;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * linux.netDevices (config-linux.md "Network Devices"): each host device is moved into the container's network
 * namespace and renamed in one RTM_NEWLINK (IFLA_NET_NS_FD and IFLA_IFNAME, as runc and crun do), its permanent
 * global addresses are given back to it there (the kernel drops them on the move), and it is set up. Nothing is done
 * at delete: the spec leaves the device to the kernel, which destroys a virtual one with the namespace and returns a
 * physical one to the host's.
 */
public final class NetDevices {
    private final Syscalls sys;
    private final RouteSocket route;

    private NetDevices(Syscalls sys) {
        this.sys = sys;
        this.route = new RouteSocket(sys);
    }

    /** Moves {@code devices} (host name -> what the container calls it) into the network namespace {@code netnsFd}. */
    public static void moveInto(Syscalls sys, Map<String, NetDevice> devices, int netnsFd) {
        if (devices == null || devices.isEmpty()) {
            return;
        }
        NetDevices mover = new NetDevices(sys);
        int host = sys.netlinkSocket(Flags.NETLINK_ROUTE);
        int inside = -1;
        try {
            inside = SocketInNamespace.open(sys, netnsFd);
            for (Map.Entry<String, NetDevice> d : devices.entrySet()) {
                String name = d.getKey();
                String newName = d.getValue() == null
                                || d.getValue().name() == null
                                || d.getValue().name().isEmpty()
                        ? name
                        : d.getValue().name();
                mover.move(host, inside, name, newName, netnsFd);
            }
        } finally {
            sys.close(host);
            if (inside >= 0) {
                sys.close(inside);
            }
        }
    }

    private void move(int host, int inside, String name, String newName, int netnsFd) {
        String field = "config.json: field linux.netDevices[\"" + name + "\"]: ";
        int index;
        try {
            index = route.exchange(host, RouteMessages.getLink(route.next(), name), RouteMessages.RTM_NEWLINK)
                    .get(0)
                    .linkIndex();
        } catch (SyscallException e) {
            throw new JruncException(field + "no such network device on the host (" + Errno.describe(e.errno()) + ")");
        }
        List<RouteMessages.Address> addresses = new ArrayList<>();
        for (RouteMessages.Reply r :
                route.exchange(host, RouteMessages.dumpAddresses(route.next()), RouteMessages.NLMSG_DONE)) {
            if (r.type() == RouteMessages.RTM_NEWADDR) {
                RouteMessages.Address a = RouteMessages.address(r);
                if (a.index() == index && a.carriedOver()) {
                    addresses.add(a);
                }
            }
        }
        try {
            route.exchange(
                    host, RouteMessages.moveLink(route.next(), index, newName, netnsFd), RouteMessages.NLMSG_ERROR);
        } catch (SyscallException e) {
            throw new JruncException(field + "moving it into the container's network namespace as \"" + newName
                    + "\": " + Errno.describe(e.errno())
                    + (e.errno() == Errno.EEXIST ? " (the namespace has a device of that name)" : ""));
        }
        try {
            // a name template ("eth%d") is completed by the kernel; the index survives the move into a new namespace
            byte[] lookup = newName.contains("%")
                    ? RouteMessages.getLink(route.next(), index)
                    : RouteMessages.getLink(route.next(), newName);
            int newIndex = route.exchange(inside, lookup, RouteMessages.RTM_NEWLINK)
                    .get(0)
                    .linkIndex();
            for (RouteMessages.Address a : addresses) {
                route.exchange(inside, RouteMessages.addAddress(route.next(), a, newIndex), RouteMessages.NLMSG_ERROR);
            }
            route.exchange(inside, RouteMessages.setUp(route.next(), newIndex), RouteMessages.NLMSG_ERROR);
        } catch (SyscallException e) {
            throw new JruncException(field + "setting up \"" + newName + "\" in the container's network namespace: "
                    + Errno.describe(e.errno()));
        }
    }

    /**
     * A netlink socket in another network namespace: setns of a network namespace is per thread, so a short-lived
     * thread joins it and opens the socket, which stays in that namespace; this thread's namespace is untouched.
     */
    private static final class SocketInNamespace implements Runnable {
        private final Syscalls sys;
        private final int netnsFd;
        private int fd = -1;
        private RuntimeException failure;

        private SocketInNamespace(Syscalls sys, int netnsFd) {
            this.sys = sys;
            this.netnsFd = netnsFd;
        }

        static int open(Syscalls sys, int netnsFd) {
            SocketInNamespace s = new SocketInNamespace(sys, netnsFd);
            Thread t = new Thread(s, "jrunc-netns");
            t.start();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new JruncException("interrupted while joining the container's network namespace");
            }
            if (s.failure != null) {
                throw s.failure;
            }
            return s.fd;
        }

        @Override
        public void run() {
            try {
                sys.setns(netnsFd, CloneFlags.CLONE_NEWNET);
                fd = sys.netlinkSocket(Flags.NETLINK_ROUTE);
            } catch (RuntimeException e) {
                failure = e;
            }
        }
    }
}
