package org.jrunc.network;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.sys.Errno;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/** The rtnetlink conversation: sequence numbers for requests, and a request's replies read up to the one ending it. */
final class RouteSocket {
    private static final int BUFFER = 65536;
    private final Syscalls sys;
    private int seq;

    RouteSocket(Syscalls sys) {
        this.sys = sys;
    }

    /** The sequence number of the next request, which {@link #exchange} then waits for. */
    int next() {
        return ++seq;
    }

    /**
     * Sends a request and reads replies of its sequence number until one of type {@code last} (NLMSG_ERROR: the
     * acknowledgement; NLMSG_DONE: the end of a dump; RTM_NEWLINK: the answer to a lookup). An NLMSG_ERROR with an
     * errno throws it.
     */
    List<RouteMessages.Reply> exchange(int fd, byte[] request, int last) {
        int mySeq = seq;
        sys.writeAll(fd, request, 0, request.length);
        List<RouteMessages.Reply> out = new ArrayList<>();
        byte[] buf = new byte[BUFFER];
        while (true) {
            int n = sys.read(fd, buf, 0, buf.length);
            if (n <= 0) {
                throw new SyscallException("rtnetlink", "no reply", Errno.EIO);
            }
            for (RouteMessages.Reply r : RouteMessages.parse(buf, n)) {
                if (r.seq() != mySeq) {
                    continue;
                }
                if (r.type() == RouteMessages.NLMSG_ERROR && r.errno() != 0) {
                    throw new SyscallException("rtnetlink", "", r.errno());
                }
                out.add(r);
                if (r.type() == last || r.type() == RouteMessages.NLMSG_ERROR) {
                    return out;
                }
            }
        }
    }
}
