package org.jrunc.network;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The rtnetlink messages linux.netDevices needs (rtnetlink(7)), as bytes: a request is a struct nlmsghdr, a struct
 * ifinfomsg or ifaddrmsg, and attributes (struct rtattr, each padded to 4 bytes), all in the host's byte order; a
 * datagram read back holds one or more such messages, or NLMSG_ERROR carrying an errno (0 for an acknowledgement).
 */
public final class RouteMessages {
    static final int NLMSG_ERROR = 2;
    static final int NLMSG_DONE = 3;
    static final int RTM_NEWLINK = 16;
    static final int RTM_GETLINK = 18;
    static final int RTM_NEWADDR = 20;
    static final int RTM_GETADDR = 22;
    static final int NLM_F_REQUEST = 0x1;
    static final int NLM_F_ACK = 0x4;
    static final int NLM_F_REPLACE = 0x100;
    static final int NLM_F_CREATE = 0x400;
    static final int NLM_F_DUMP = 0x300;
    static final int IFLA_IFNAME = 3;
    static final int IFLA_NET_NS_FD = 28;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_BROADCAST = 4;
    static final int IFA_F_PERMANENT = 0x80;
    static final int RT_SCOPE_UNIVERSE = 0;
    static final int IFF_UP = 0x1;
    private static final int HEADER = 16;
    private static final int IFINFOMSG = 16;
    private static final int IFADDRMSG = 8;

    private RouteMessages() {}

    /** One message of a datagram read back: its type, sequence number and the bytes after the header. */
    public record Reply(int type, int seq, byte[] payload) {
        /** NLMSG_ERROR's errno as a positive number, 0 for an acknowledgement. */
        int errno() {
            return -order(ByteBuffer.wrap(payload)).getInt(0);
        }

        /** ifi_index of an RTM_NEWLINK reply. */
        int linkIndex() {
            return order(ByteBuffer.wrap(payload)).getInt(4);
        }
    }

    /** An interface address from an RTM_GETADDR dump: struct ifaddrmsg and the attributes worth carrying over. */
    public record Address(int family, int prefixLength, int flags, int scope, int index, byte[] attributes) {
        /**
         * What the runtime-spec says a moved device keeps: permanent addresses (IFA_F_PERMANENT) of global scope
         * (RT_SCOPE_UNIVERSE), of any family.
         */
        boolean carriedOver() {
            return (flags & IFA_F_PERMANENT) != 0 && scope == RT_SCOPE_UNIVERSE;
        }
    }

    /** RTM_GETLINK of the device called {@code name}. */
    static byte[] getLink(int seq, String name) {
        ByteBuffer b = request(RTM_GETLINK, NLM_F_REQUEST, seq);
        ifinfomsg(b, 0, 0, 0);
        attribute(b, IFLA_IFNAME, cString(name));
        return finish(b);
    }

    /** RTM_GETLINK of the device with index {@code index}. */
    static byte[] getLink(int seq, int index) {
        ByteBuffer b = request(RTM_GETLINK, NLM_F_REQUEST, seq);
        ifinfomsg(b, index, 0, 0);
        return finish(b);
    }

    /** RTM_GETADDR of every address (a dump; the replies are filtered by index here, not by the kernel). */
    static byte[] dumpAddresses(int seq) {
        ByteBuffer b = request(RTM_GETADDR, NLM_F_REQUEST | NLM_F_DUMP, seq);
        ifaddrmsg(b, 0, 0, 0, 0, 0);
        return finish(b);
    }

    /**
     * RTM_NEWLINK moving device {@code index} into the network namespace open as {@code netnsFd} under the name
     * {@code newName}, both in one request so that the name never clashes in either namespace (as runc and crun do).
     */
    static byte[] moveLink(int seq, int index, String newName, int netnsFd) {
        ByteBuffer b = request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
        ifinfomsg(b, index, 0, 0);
        attribute(b, IFLA_IFNAME, cString(newName));
        attribute(
                b, IFLA_NET_NS_FD, order(ByteBuffer.allocate(4)).putInt(netnsFd).array());
        return finish(b);
    }

    /** RTM_NEWLINK setting IFF_UP on device {@code index}. */
    static byte[] setUp(int seq, int index) {
        ByteBuffer b = request(RTM_NEWLINK, NLM_F_REQUEST | NLM_F_ACK, seq);
        ifinfomsg(b, index, IFF_UP, IFF_UP);
        return finish(b);
    }

    /** RTM_NEWADDR giving device {@code index} the address {@code a} read from another device. */
    static byte[] addAddress(int seq, Address a, int index) {
        ByteBuffer b = request(RTM_NEWADDR, NLM_F_REQUEST | NLM_F_CREATE | NLM_F_REPLACE | NLM_F_ACK, seq);
        ifaddrmsg(b, a.family(), a.prefixLength(), a.flags(), a.scope(), index);
        b.put(a.attributes());
        return finish(b);
    }

    /** The messages of one datagram. */
    static List<Reply> parse(byte[] buf, int len) {
        List<Reply> out = new ArrayList<>();
        ByteBuffer b = order(ByteBuffer.wrap(buf, 0, len));
        int at = 0;
        while (at + HEADER <= len) {
            int msgLen = b.getInt(at);
            if (msgLen < HEADER || at + msgLen > len) {
                throw new IllegalArgumentException(
                        "malformed netlink message at byte " + at + " (length " + msgLen + ")");
            }
            byte[] payload = new byte[msgLen - HEADER];
            System.arraycopy(buf, at + HEADER, payload, 0, payload.length);
            out.add(new Reply(b.getShort(at + 4) & 0xffff, b.getInt(at + 8), payload));
            at += align(msgLen);
        }
        return out;
    }

    /** The address in an RTM_NEWADDR reply, with only IFA_ADDRESS, IFA_LOCAL and IFA_BROADCAST kept. */
    static Address address(Reply r) {
        byte[] p = r.payload();
        ByteBuffer b = order(ByteBuffer.wrap(p));
        ByteBuffer kept = order(ByteBuffer.allocate(p.length));
        int at = IFADDRMSG;
        while (at + 4 <= p.length) {
            int attrLen = b.getShort(at) & 0xffff;
            int type = b.getShort(at + 2) & 0x3fff;
            if (attrLen < 4 || at + attrLen > p.length) {
                break;
            }
            if (type == IFA_ADDRESS || type == IFA_LOCAL || type == IFA_BROADCAST) {
                byte[] data = new byte[attrLen - 4];
                System.arraycopy(p, at + 4, data, 0, data.length);
                attribute(kept, type, data);
            }
            at += align(attrLen);
        }
        byte[] attributes = new byte[kept.position()];
        System.arraycopy(kept.array(), 0, attributes, 0, attributes.length);
        return new Address(p[0] & 0xff, p[1] & 0xff, p[2] & 0xff, p[3] & 0xff, b.getInt(4), attributes);
    }

    private static ByteBuffer request(int type, int flags, int seq) {
        ByteBuffer b = order(ByteBuffer.allocate(1024));
        b.putInt(0); // length, set by finish()
        b.putShort((short) type);
        b.putShort((short) flags);
        b.putInt(seq);
        b.putInt(0); // port id: the kernel's
        return b;
    }

    private static void ifinfomsg(ByteBuffer b, int index, int flags, int change) {
        b.put((byte) 0); // AF_UNSPEC
        b.put((byte) 0);
        b.putShort((short) 0);
        b.putInt(index);
        b.putInt(flags);
        b.putInt(change);
    }

    private static void ifaddrmsg(ByteBuffer b, int family, int prefixLength, int flags, int scope, int index) {
        b.put((byte) family);
        b.put((byte) prefixLength);
        b.put((byte) flags);
        b.put((byte) scope);
        b.putInt(index);
    }

    private static void attribute(ByteBuffer b, int type, byte[] data) {
        b.putShort((short) (4 + data.length));
        b.putShort((short) type);
        b.put(data);
        for (int pad = align(4 + data.length) - 4 - data.length; pad > 0; pad--) {
            b.put((byte) 0);
        }
    }

    private static byte[] finish(ByteBuffer b) {
        int len = b.position();
        b.putInt(0, len);
        byte[] out = new byte[len];
        System.arraycopy(b.array(), 0, out, 0, len);
        return out;
    }

    private static byte[] cString(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, out, 0, bytes.length);
        return out;
    }

    private static int align(int n) {
        return (n + 3) & ~3;
    }

    private static ByteBuffer order(ByteBuffer b) {
        return b.order(ByteOrder.nativeOrder());
    }
}
