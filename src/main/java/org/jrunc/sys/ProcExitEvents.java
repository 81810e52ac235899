package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The kernel's process events connector (NETLINK_CONNECTOR, group CN_IDX_PROC), listened to for exits: how a monitor
 * learns the exit status of a container init it did not start and therefore cannot wait for. Every process exit on the
 * host is reported; since Linux 6.6 the subscription can ask for exits only. Subscribing needs CAP_NET_ADMIN and the
 * initial user and pid namespaces.
 */
public final class ProcExitEvents implements AutoCloseable {
    /** One exit: the thread, its thread group, and the wait(2) status (code << 8, or the signal). */
    public record Exit(int pid, int tgid, int status) {}

    private static final int AF_NETLINK = 16;
    private static final int SOCK_DGRAM = 2;
    private static final int NETLINK_CONNECTOR = 11;
    private static final int CN_IDX_PROC = 1;
    private static final int CN_VAL_PROC = 1;
    private static final int NLMSG_DONE = 3;
    private static final int PROC_CN_MCAST_LISTEN = 1;
    static final int PROC_EVENT_EXIT = 0x80000000;
    static final int NLMSG_HEADER = 16;
    static final int CN_MSG_HEADER = 20;
    /** proc_event: what, cpu, timestamp_ns, then the event's data. */
    static final int EVENT_DATA = NLMSG_HEADER + CN_MSG_HEADER + 16;

    private static final int BUFFER = 8192;

    private final int fd;
    private final Memory buffer = new Memory(BUFFER);

    private ProcExitEvents(int fd) {
        this.fd = fd;
    }

    /** Opens and subscribes; throws {@link SyscallException} where the kernel refuses (EPERM outside the initial namespaces). */
    public static ProcExitEvents open() {
        int fd = LibC.socket(AF_NETLINK, SOCK_DGRAM | Flags.SOCK_CLOEXEC, NETLINK_CONNECTOR);
        if (fd < 0) {
            throw new SyscallException("socket", "NETLINK_CONNECTOR", Native.getLastError());
        }
        try {
            Memory addr = new Memory(12);
            addr.clear();
            addr.setShort(0, (short) AF_NETLINK);
            addr.setInt(8, CN_IDX_PROC);
            int bound = LibC.bind(fd, Pointer.nativeValue(addr), 12);
            Reference.reachabilityFence(addr);
            if (bound < 0) {
                throw new SyscallException("bind", "NETLINK_CONNECTOR group CN_IDX_PROC", Native.getLastError());
            }
            byte[] request = listenRequest(exitFilterSupported(System.getProperty("os.version", "")));
            Memory m = new Memory(request.length);
            m.write(0, request, 0, request.length);
            long sent = LibC.write(fd, Pointer.nativeValue(m), request.length);
            Reference.reachabilityFence(m);
            if (sent < 0) {
                throw new SyscallException("send", "PROC_CN_MCAST_LISTEN", Native.getLastError());
            }
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        return new ProcExitEvents(fd);
    }

    public int fd() {
        return fd;
    }

    /**
     * Reads one message (the descriptor must be readable); returns the exit it reports, or null for anything else. A
     * receive-queue overflow (ENOBUFS) loses events; it is reported as null too, the caller has other evidence of an
     * exit and merely lacks the status then.
     */
    public Exit read() {
        long n = LibC.read(fd, Pointer.nativeValue(buffer), BUFFER);
        if (n < 0) {
            int e = Native.getLastError();
            if (e == Errno.ENOBUFS || e == Errno.EINTR || e == Errno.EAGAIN) {
                return null;
            }
            throw new SyscallException("recv", "NETLINK_CONNECTOR", e);
        }
        return parse(buffer.getByteArray(0, (int) n), (int) n);
    }

    @Override
    public void close() {
        LibC.close(fd);
    }

    /** The exit in one netlink message, or null when it holds another event. */
    static Exit parse(byte[] msg, int len) {
        if (len < EVENT_DATA + 16) {
            return null;
        }
        ByteBuffer b = ByteBuffer.wrap(msg, 0, len).order(ByteOrder.nativeOrder());
        if (b.getInt(NLMSG_HEADER) != CN_IDX_PROC || b.getInt(NLMSG_HEADER + 4) != CN_VAL_PROC) {
            return null;
        }
        if (b.getInt(NLMSG_HEADER + CN_MSG_HEADER) != PROC_EVENT_EXIT) {
            return null;
        }
        return new Exit(b.getInt(EVENT_DATA), b.getInt(EVENT_DATA + 4), b.getInt(EVENT_DATA + 8));
    }

    /**
     * nlmsghdr + cn_msg + the operation. With {@code exitsOnly}, the operation is Linux 6.6's struct proc_input (op
     * and event type); older kernels ignore a message of that size, so they get the plain 4-byte op.
     */
    static byte[] listenRequest(boolean exitsOnly) {
        int payload = exitsOnly ? 8 : 4;
        ByteBuffer b =
                ByteBuffer.allocate(NLMSG_HEADER + CN_MSG_HEADER + payload).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity())
                .putShort((short) NLMSG_DONE)
                .putShort((short) 0)
                .putInt(0)
                .putInt(0);
        b.putInt(CN_IDX_PROC)
                .putInt(CN_VAL_PROC)
                .putInt(0)
                .putInt(0)
                .putShort((short) payload)
                .putShort((short) 0);
        b.putInt(PROC_CN_MCAST_LISTEN);
        if (exitsOnly) {
            b.putInt(PROC_EVENT_EXIT);
        }
        return b.array();
    }

    /** Event filtering came with Linux 6.6; {@code release} is uname's, e.g. "6.18.44-fc". */
    static boolean exitFilterSupported(String release) {
        return KernelRelease.atLeast(release, 6, 6);
    }
}
