package org.jrunc.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The rtnetlink bytes of linux.netDevices, checked byte by byte against the layouts of linux/netlink.h and
 * linux/rtnetlink.h (little-endian, as on every architecture jrunc runs on). Fails on 17985a3: there was no netlink
 * code (linux.netDevices was refused).
 */
class RouteMessagesTest {
    private static int[] unsigned(byte[] b) {
        int[] out = new int[b.length];
        for (int i = 0; i < b.length; i++) {
            out[i] = b[i] & 0xff;
        }
        return out;
    }

    @Test
    void aLookupByNameIsAHeaderAnIfinfomsgAndAPaddedName() {
        assertEquals(ByteOrder.LITTLE_ENDIAN, ByteOrder.nativeOrder());
        assertArrayEquals(
                new int[] {
                    44, 0, 0, 0, 18, 0, 1, 0, 7, 0, 0, 0, 0, 0, 0, 0, // nlmsghdr: length, RTM_GETLINK, REQUEST, seq 7
                    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, // ifinfomsg: AF_UNSPEC, any index
                    11, 0, 3, 0, 'd', 'u', 'm', 'm', 'y', '0', 0, 0 // IFLA_IFNAME "dummy0\0", one byte of padding
                },
                unsigned(RouteMessages.getLink(7, "dummy0")));
    }

    @Test
    void aMoveNamesTheIndexTheNewNameAndTheNamespaceInOneRequest() {
        int[] move = unsigned(RouteMessages.moveLink(9, 42, "ctr0", 5));
        // nlmsghdr: 52 bytes, RTM_NEWLINK, REQUEST|ACK, seq 9
        assertArrayEquals(new int[] {52, 0, 0, 0, 16, 0, 5, 0, 9, 0, 0, 0}, Arrays.copyOfRange(move, 0, 12));
        // ifinfomsg: ifi_index 42
        assertArrayEquals(new int[] {0, 0, 0, 0, 42, 0, 0, 0}, Arrays.copyOfRange(move, 16, 24));
        // IFLA_IFNAME "ctr0\0" padded to 12, then IFLA_NET_NS_FD 5
        assertArrayEquals(new int[] {9, 0, 3, 0, 'c', 't', 'r', '0', 0, 0, 0, 0}, Arrays.copyOfRange(move, 32, 44));
        assertArrayEquals(new int[] {8, 0, 28, 0, 5, 0, 0, 0}, Arrays.copyOfRange(move, 44, 52));
        assertEquals(52, move.length);
    }

    @Test
    void upSetsAndChangesOnlyIffUp() {
        int[] b = unsigned(RouteMessages.setUp(3, 6));
        assertEquals(32, b.length);
        assertArrayEquals(new int[] {6, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0}, Arrays.copyOfRange(b, 20, 32));
    }

    /** nlmsghdr + payload, as the kernel sends it. */
    private static byte[] message(int type, int seq, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate((16 + payload.length + 3) & ~3).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(16 + payload.length)
                .putShort((short) type)
                .putShort((short) 0)
                .putInt(seq)
                .putInt(0);
        b.put(payload);
        return b.array();
    }

    private static byte[] attr(int type, int... values) {
        byte[] data = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            data[i] = (byte) values[i];
        }
        ByteBuffer b = ByteBuffer.allocate((4 + data.length + 3) & ~3).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) (4 + data.length)).putShort((short) type).put(data);
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void aDatagramOfAcknowledgementsAndErrorsIsSplitAndTheErrnoRead() {
        byte[] ack =
                ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putInt(0).array();
        byte[] exists = ByteBuffer.allocate(20)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putInt(-17)
                .array();
        byte[] datagram =
                concat(message(RouteMessages.NLMSG_ERROR, 4, ack), message(RouteMessages.NLMSG_ERROR, 5, exists));
        List<RouteMessages.Reply> replies = RouteMessages.parse(datagram, datagram.length);
        assertEquals(2, replies.size());
        assertEquals(4, replies.get(0).seq());
        assertEquals(0, replies.get(0).errno());
        assertEquals(5, replies.get(1).seq());
        assertEquals(17, replies.get(1).errno(), "EEXIST");
        assertThrows(IllegalArgumentException.class, () -> RouteMessages.parse(datagram, 30), "a cut message");
    }

    @Test
    void anAddressKeepsItsHeaderAndOnlyTheAttributesToGiveBack() {
        byte[] ifaddrmsg = {2, 24, (byte) 0x80, 0, 42, 0, 0, 0}; // AF_INET, /24, IFA_F_PERMANENT, universe, index 42
        byte[] address = attr(RouteMessages.IFA_ADDRESS, 10, 9, 8, 7);
        byte[] local = attr(RouteMessages.IFA_LOCAL, 10, 9, 8, 7);
        byte[] label = attr(3, 'e', 't', 'h', '9', 0); // IFA_LABEL: the old name
        byte[] cacheinfo = attr(6, new int[16]);
        byte[] msg = message(RouteMessages.RTM_NEWADDR, 2, concat(ifaddrmsg, address, label, local, cacheinfo));
        RouteMessages.Address a =
                RouteMessages.address(RouteMessages.parse(msg, msg.length).get(0));
        assertEquals(2, a.family());
        assertEquals(24, a.prefixLength());
        assertEquals(42, a.index());
        assertTrue(a.carriedOver());
        assertArrayEquals(concat(address, local), a.attributes(), "no label (the old name) and no cache info");
        assertFalse(new RouteMessages.Address(2, 24, 0, 0, 42, new byte[0]).carriedOver(), "not permanent");
        assertFalse(new RouteMessages.Address(2, 24, 0x80, 253, 42, new byte[0]).carriedOver(), "link scope");
        byte[] add = RouteMessages.addAddress(11, a, 3);
        assertArrayEquals(
                new int[] {20, 0, 0x05, 0x05, 11, 0, 0, 0}, // RTM_NEWADDR, REQUEST|ACK|REPLACE|CREATE, seq 11
                Arrays.copyOfRange(unsigned(add), 4, 12));
        assertArrayEquals(new int[] {2, 24, 0x80, 0, 3, 0, 0, 0}, Arrays.copyOfRange(unsigned(add), 16, 24));
    }
}
