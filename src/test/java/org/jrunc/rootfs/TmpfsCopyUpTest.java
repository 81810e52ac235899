package org.jrunc.rootfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.FileStat;
import org.jrunc.sys.Flags;
import org.jrunc.sys.RecordingSyscalls;
import org.jrunc.sys.RecordingSyscalls.Node;
import org.jrunc.sys.SyscallException;
import org.junit.jupiter.api.Test;

/** The copy of tmpcopyup, entry by entry, on the recording Syscalls' in-memory tree: /img/etc copied into /tmpfs. */
class TmpfsCopyUpTest {
    private static final byte[] CAPS = {1, 0, 0, 2, 0x20, 0, 0, 0};

    /** An image directory with one of each kind of entry, owners and modes that are not the defaults. */
    private static RecordingSyscalls image() {
        RecordingSyscalls sys = new RecordingSyscalls();
        sys.dir("/img/etc/sub").dir("/tmpfs");
        sys.file("/img/etc/passwd").input("/img/etc/passwd", bytes("root:x:0:0:root:/root:/bin/sh\n"));
        sys.files.put("/img/etc/ping", new Node(FileStat.S_IFREG, null, 04750, 0));
        sys.owners.put("/img/etc/ping", new long[] {1000, 1001});
        sys.xattrs.put("/img/etc/ping", new TreeMap<>(Map.of("security.capability", CAPS)));
        sys.files.put("/img/etc/sub", new Node(FileStat.S_IFDIR, null, 0555, 0));
        sys.owners.put("/img/etc/sub", new long[] {5, 6});
        sys.file("/img/etc/sub/inner").input("/img/etc/sub/inner", bytes("deep"));
        sys.symlink("/img/etc/escape", "../../../../host/etc/shadow");
        sys.owners.put("/img/etc/escape", new long[] {7, 8});
        sys.files.put("/img/etc/null", new Node(FileStat.S_IFCHR, null, 0666, DevicePlan.makedev(1, 3)));
        sys.files.put("/img/etc/fifo", new Node(FileStat.S_IFIFO, null, 0620, 0));
        return sys;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void copy(RecordingSyscalls sys) {
        int covered = sys.open("/img/etc", Flags.O_RDONLY | Flags.O_DIRECTORY, 0);
        int mounted = sys.open("/tmpfs", Flags.O_PATH, 0);
        new TmpfsCopyUp(sys).copy(covered, mounted, "/etc");
        sys.close(covered);
        sys.close(mounted);
    }

    private static void assertOwner(RecordingSyscalls sys, String path, long uid, long gid) {
        long[] owner = sys.owners.get(path);
        assertTrue(owner != null && owner[0] == uid && owner[1] == gid, path + " owned by " + uid + ":" + gid);
    }

    @Test
    void copiesEveryKindOfEntryWithOwnersAndModes() {
        RecordingSyscalls sys = image();
        copy(sys);
        assertEquals(
                "root:x:0:0:root:/root:/bin/sh\n", new String(sys.written("/tmpfs/passwd"), StandardCharsets.UTF_8));
        assertEquals(new Node(FileStat.S_IFREG, null, 0644, 0), sys.files.get("/tmpfs/passwd"));
        assertEquals(new Node(FileStat.S_IFREG, null, 04750, 0), sys.files.get("/tmpfs/ping"), "set-user-ID kept");
        assertOwner(sys, "/tmpfs/ping", 1000, 1001);
        assertEquals(new Node(FileStat.S_IFDIR, null, 0555, 0), sys.files.get("/tmpfs/sub"));
        assertOwner(sys, "/tmpfs/sub", 5, 6);
        assertEquals("deep", new String(sys.written("/tmpfs/sub/inner"), StandardCharsets.UTF_8));
        assertEquals(new Node(FileStat.S_IFCHR, null, 0666, DevicePlan.makedev(1, 3)), sys.files.get("/tmpfs/null"));
        assertEquals(new Node(FileStat.S_IFIFO, null, 0620, 0), sys.files.get("/tmpfs/fifo"));
        assertEquals(
                new Node(FileStat.S_IFLNK, "../../../../host/etc/shadow", 0777, 0),
                sys.files.get("/tmpfs/escape"),
                "a symlink is copied as the link, its target as it was");
        assertOwner(sys, "/tmpfs/escape", 7, 8);
        assertFalse(sys.calls.contains("chmod /tmpfs/escape 777"), "a symlink's mode is not set");
        assertArrayEquals(CAPS, sys.xattrs.get("/tmpfs/ping").get("security.capability"));
    }

    @Test
    void nothingOutsideTheTmpfsIsCreatedAndNoDeviceOrFifoOfTheImageIsOpened() {
        RecordingSyscalls sys = image();
        List<String> before = new ArrayList<>(sys.files.keySet());
        copy(sys);
        for (String p : sys.files.keySet()) {
            assertTrue(before.contains(p) || p.startsWith("/tmpfs/"), "created outside the tmpfs: " + p);
        }
        assertFalse(sys.files.containsKey("/host/etc/shadow"), "the symlink was not followed");
        assertEquals(
                List.of(
                        "open /img/etc",
                        "open /tmpfs",
                        "open /img/etc/passwd",
                        "open /img/etc/ping",
                        "open /img/etc/sub/inner"),
                sys.calls("open"),
                "only regular files are opened for reading");
        assertEquals(List.of(), sys.openFds(), "every descriptor closed");
    }

    @Test
    void ownerThenModeThenAttributesAndADirectoryAfterItsContent() {
        RecordingSyscalls sys = image();
        copy(sys);
        List<String> calls = sys.calls;
        int chown = calls.indexOf("chown /tmpfs/ping 1000:1001");
        int chmod = calls.indexOf("chmod /tmpfs/ping 4750");
        int setxattr = calls.indexOf("setxattr /tmpfs/ping security.capability");
        assertTrue(
                chown >= 0 && chown < chmod && chmod < setxattr,
                "chown clears set-user-ID and file capabilities: " + calls);
        int inner = calls.indexOf("chmod /tmpfs/sub/inner 644");
        int sub = calls.indexOf("chmod /tmpfs/sub 555");
        assertTrue(inner >= 0 && inner < sub, "a read-only directory gets its mode after it is filled: " + calls);
    }

    @Test
    void anAttributeTheTmpfsDoesNotTakeIsSkipped() {
        RecordingSyscalls sys = image();
        sys.failOn("setxattr /tmpfs/ping", new SyscallException("fsetxattr", "security.capability", Errno.ENOTSUP));
        copy(sys);
        assertTrue(sys.files.containsKey("/tmpfs/sub/inner"), "the copy went on");
    }

    @Test
    void anyOtherFailureNamesThePathInTheImage() {
        RecordingSyscalls sys = image();
        sys.failOn("setxattr /tmpfs/ping", new SyscallException("fsetxattr", "security.capability", Errno.EPERM));
        JruncException e = assertThrows(JruncException.class, () -> copy(sys));
        assertTrue(e.getMessage().startsWith("tmpcopyup /etc/ping: fsetxattr security.capability"), e.getMessage());
    }

    @Test
    void aSourceWithoutExtendedAttributesIsCopied() {
        RecordingSyscalls sys = image();
        sys.failOn("listxattr", new SyscallException("flistxattr", "", Errno.ENOTSUP));
        copy(sys);
        assertEquals(new Node(FileStat.S_IFREG, null, 04750, 0), sys.files.get("/tmpfs/ping"));
        assertEquals(List.of(), sys.calls("setxattr"));
    }
}
