package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.Test;

/** The proc connector's wire format, as the kernel's linux/cn_proc.h and linux/connector.h lay it out. */
class ProcExitEventsTest {

    private static byte[] event(int idx, int what, int pid, int tgid, int code) {
        ByteBuffer b = ByteBuffer.allocate(ProcExitEvents.EVENT_DATA + 24).order(ByteOrder.nativeOrder());
        b.putInt(b.capacity()).putShort((short) 3).putShort((short) 0).putInt(0).putInt(0); // nlmsghdr
        b.putInt(idx).putInt(1).putInt(7).putInt(0).putShort((short) 40).putShort((short) 0); // cn_msg
        b.putInt(what).putInt(1).putLong(123456789L); // proc_event header
        b.putInt(pid).putInt(tgid).putInt(code).putInt(17).putInt(1).putInt(1);
        return b.array();
    }

    @Test
    void parsesAnExitEvent() {
        byte[] m = event(1, ProcExitEvents.PROC_EVENT_EXIT, 4242, 4242, 7 << 8);
        assertEquals(new ProcExitEvents.Exit(4242, 4242, 1792), ProcExitEvents.parse(m, m.length));
    }

    @Test
    void otherEventsAndOtherConnectorsAreNotExits() {
        byte[] fork = event(1, 0x00000001, 1, 1, 0);
        assertNull(ProcExitEvents.parse(fork, fork.length));
        byte[] otherIdx = event(5, ProcExitEvents.PROC_EVENT_EXIT, 1, 1, 0);
        assertNull(ProcExitEvents.parse(otherIdx, otherIdx.length));
        byte[] shortMsg = event(1, ProcExitEvents.PROC_EVENT_EXIT, 1, 1, 0);
        assertNull(ProcExitEvents.parse(shortMsg, ProcExitEvents.EVENT_DATA + 8));
    }

    @Test
    void theListenRequestCarriesTheOperationAndOptionallyTheExitFilter() {
        ByteBuffer plain = ByteBuffer.wrap(ProcExitEvents.listenRequest(false)).order(ByteOrder.nativeOrder());
        assertEquals(40, plain.capacity());
        assertEquals(40, plain.getInt(0));
        assertEquals(1, plain.getInt(16));
        assertEquals(4, plain.getShort(32));
        assertEquals(1, plain.getInt(36));
        ByteBuffer filtered =
                ByteBuffer.wrap(ProcExitEvents.listenRequest(true)).order(ByteOrder.nativeOrder());
        assertEquals(44, filtered.capacity());
        assertEquals(8, filtered.getShort(32));
        assertEquals(ProcExitEvents.PROC_EVENT_EXIT, filtered.getInt(40));
    }

    @Test
    void theExitFilterNeedsLinux66() {
        assertTrue(ProcExitEvents.exitFilterSupported("6.18.44-fc-v669"));
        assertTrue(ProcExitEvents.exitFilterSupported("6.6.0"));
        assertTrue(ProcExitEvents.exitFilterSupported("7.0"));
        assertFalse(ProcExitEvents.exitFilterSupported("6.1.0-28-amd64"));
        assertFalse(ProcExitEvents.exitFilterSupported("5.15.0"));
        assertFalse(ProcExitEvents.exitFilterSupported("weird"));
    }
}
