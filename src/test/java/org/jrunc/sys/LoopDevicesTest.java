package org.jrunc.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The loop ioctl sequences and structure layouts, against a recording Syscalls and a fake sysfs. */
class LoopDevicesTest {
    @TempDir
    Path tmp;

    /** Records ioctl arguments and answers LOOP_CTL_GET_FREE and the configure calls from a script. */
    static final class LoopSyscalls extends RecordingSyscalls {
        final List<byte[]> buffers = new ArrayList<>();
        final Deque<Integer> freeNumbers = new ArrayDeque<>();
        final Deque<Integer> configureErrnos = new ArrayDeque<>();

        LoopSyscalls() {
            dir("/dev");
            files.put("/dev/loop-control", new Node(FileStat.S_IFCHR, null, 0660, 0));
            files.put("/img.sif", new Node(FileStat.S_IFREG, null, 0644, 0));
            for (int i = 0; i < 8; i++) {
                files.put("/dev/loop" + i, new Node(FileStat.S_IFBLK, null, 0660, 0));
            }
        }

        @Override
        public int ioctl(int fd, long request, long arg) {
            super.ioctl(fd, request, arg);
            calls.set(calls.size() - 1, "ioctl " + pathOf(fd) + " 0x" + Long.toHexString(request) + " " + arg);
            return request == LoopAbi.LOOP_CTL_GET_FREE ? freeNumbers.removeFirst() : 0;
        }

        @Override
        public void ioctlBuffer(int fd, long request, byte[] buf) {
            calls.add("ioctl " + pathOf(fd) + " 0x" + Long.toHexString(request));
            buffers.add(buf.clone());
            if (request == LoopAbi.LOOP_CONFIGURE && !configureErrnos.isEmpty()) {
                throw new SyscallException("ioctl", "", configureErrnos.removeFirst());
            }
        }
    }

    private static ByteBuffer le(byte[] b) {
        return ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
    }

    @Test
    void loopConfigLayout() {
        byte[] c =
                LoopAbi.loopConfig(7, 32176, 4096, LoopAbi.LO_FLAGS_READ_ONLY | LoopAbi.LO_FLAGS_AUTOCLEAR, "/img.sif");
        assertEquals(304, c.length);
        assertEquals(7, le(c).getInt(0));
        assertEquals(0, le(c).getInt(4), "block_size 0 = default");
        assertEquals(32176, le(c).getLong(8 + 24), "lo_offset");
        assertEquals(4096, le(c).getLong(8 + 32), "lo_sizelimit");
        assertEquals(5, le(c).getInt(8 + 52), "lo_flags READ_ONLY|AUTOCLEAR");
        assertEquals('/', c[8 + 56]);
    }

    @Test
    void loopInfoLayoutAndLongNamesAreCut() {
        byte[] i = LoopAbi.loopInfo64(45056, 745472, 4, "/" + "x".repeat(200));
        assertEquals(232, i.length);
        assertEquals(45056, le(i).getLong(24));
        assertEquals(745472, le(i).getLong(32));
        assertEquals(4, le(i).getInt(52));
        assertEquals(0, i[56 + 63], "lo_file_name stays NUL-terminated");
    }

    @Test
    void attachUsesLoopConfigureOnAFreeDeviceOpenedReadOnly() {
        LoopSyscalls sys = new LoopSyscalls();
        sys.freeNumbers.add(3);
        LoopDevices loops = new LoopDevices(sys, Path.of("/dev"), tmp);
        try (LoopDevice d = loops.attachReadOnly("/img.sif", 45056, 745472)) {
            assertEquals(3, d.number());
            assertEquals("/dev/loop3", d.path());
        }
        assertEquals(
                List.of(
                        "open /img.sif",
                        "open /dev/loop-control",
                        "ioctl /dev/loop-control 0x4c82 0",
                        "open /dev/loop3",
                        "ioctl /dev/loop3 0x4c0a"),
                sys.calls);
        ByteBuffer config = le(sys.buffers.get(0));
        assertEquals(45056, config.getLong(8 + 24));
        assertEquals(745472, config.getLong(8 + 32));
    }

    @Test
    void oldKernelsGetSetFdAndSetStatus() {
        LoopSyscalls sys = new LoopSyscalls();
        sys.freeNumbers.add(0);
        sys.configureErrnos.add(Errno.EINVAL);
        new LoopDevices(sys, Path.of("/dev"), tmp)
                .attachReadOnly("/img.sif", 512, 1024)
                .close();
        assertTrue(sys.calls.stream().anyMatch(c -> c.startsWith("ioctl /dev/loop0 0x4c00 ")), sys.calls.toString());
        assertEquals("ioctl /dev/loop0 0x4c04", sys.calls.get(sys.calls.size() - 1));
        ByteBuffer info = le(sys.buffers.get(1));
        assertEquals(512, info.getLong(24));
        assertEquals(1024, info.getLong(32));
        assertEquals(LoopAbi.LO_FLAGS_AUTOCLEAR, info.getInt(52) & LoopAbi.LO_FLAGS_AUTOCLEAR);
    }

    @Test
    void aDeviceTakenMeanwhileIsSkipped() {
        LoopSyscalls sys = new LoopSyscalls();
        sys.freeNumbers.add(1);
        sys.freeNumbers.add(2);
        sys.configureErrnos.add(Errno.EBUSY);
        try (LoopDevice d = new LoopDevices(sys, Path.of("/dev"), tmp).attachReadOnly("/img.sif", 0, 4096)) {
            assertEquals(2, d.number());
        }
    }

    @Test
    void otherFailuresAreReported() {
        LoopSyscalls sys = new LoopSyscalls();
        sys.freeNumbers.add(1);
        sys.configureErrnos.add(Errno.EACCES);
        SyscallException e = assertThrows(
                SyscallException.class,
                () -> new LoopDevices(sys, Path.of("/dev"), tmp).attachReadOnly("/img.sif", 0, 4096));
        assertEquals(Errno.EACCES, e.errno());
    }

    @Test
    void bindingIsReadFromSysfs() throws IOException {
        Path loop = Files.createDirectories(tmp.resolve("loop4/loop"));
        Files.writeString(loop.resolve("backing_file"), "/tmp/a b.sif\n");
        Files.writeString(loop.resolve("offset"), "45056\n");
        Files.writeString(loop.resolve("sizelimit"), "745472\n");
        Files.writeString(loop.resolve("autoclear"), "1\n");
        LoopDevices loops = new LoopDevices(new RecordingSyscalls(), Path.of("/dev"), tmp);
        assertEquals(Optional.of(new LoopBinding(4, "/tmp/a b.sif", 45056, 745472, true)), loops.binding(4));
        assertEquals(Optional.empty(), loops.binding(5));
    }

    @Test
    void availableMeansTheControlDeviceOpens() throws IOException {
        assertTrue(!new LoopDevices(new LoopSyscalls(), tmp, tmp).available(), "no loop-control in this /dev");
        Files.createFile(tmp.resolve("loop-control"));
        RecordingSyscalls denied = new RecordingSyscalls() {
            @Override
            public int open(String path, int flags, int mode) {
                throw new SyscallException("open", path, Errno.EPERM);
            }
        };
        assertTrue(!new LoopDevices(denied, tmp, tmp).available(), "a device cgroup may deny it");
        RecordingSyscalls allowed = new RecordingSyscalls();
        allowed.files.put(
                tmp.resolve("loop-control").toString(), new RecordingSyscalls.Node(FileStat.S_IFCHR, null, 0660, 0));
        allowed.dir(tmp.toString());
        assertTrue(new LoopDevices(allowed, tmp, tmp).available());
    }

    @Test
    void detachIgnoresAFreeDevice() {
        LoopSyscalls sys = new LoopSyscalls();
        LoopDevices loops = new LoopDevices(sys, Path.of("/dev"), tmp);
        loops.detach(6);
        assertEquals(List.of("open /dev/loop6", "ioctl /dev/loop6 0x4c01 0"), sys.calls);
        loops.detach(42); // no such node: nothing to do
    }
}
