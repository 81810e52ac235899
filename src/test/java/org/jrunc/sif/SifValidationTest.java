package org.jrunc.sif;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each check of the loader, triggered by one corruption of one-group.sif (40960 bytes), with its exact message. */
class SifValidationTest {
    private static final int SLOT0 = 4096;
    private static final int SLOT1 = 4096 + 585;

    private static String failure(Consumer<byte[]> corrupt) {
        byte[] data = Fixtures.bytes(Fixtures.ONE_GROUP);
        corrupt.accept(data);
        SifException e = assertThrows(SifException.class, () -> MemoryByteSource.open(data, "bad.sif"));
        assertFalse(e.getMessage().contains("\n"));
        return e.getMessage();
    }

    @Test
    void notASif() {
        SifException e = assertThrows(SifException.class, () -> MemoryByteSource.open(new byte[50], "bad.sif"));
        assertEquals("bad.sif: file is 50 bytes, too short for a SIF header (128 bytes)", e.getMessage());
        assertEquals("bad.sif: not a SIF image (no SIF_MAGIC at offset 32)", failure(d -> d[32] = 'X'));
        assertEquals("bad.sif: unsupported SIF version \"02\" (only 01 is supported)", failure(d -> d[43] = '2'));
        assertEquals("bad.sif: unsupported SIF version \"0\\x0a\" (only 01 is supported)", failure(d -> d[43] = '\n'));
    }

    @Test
    void descriptorCounts() {
        assertEquals("bad.sif: descriptor count -1 is negative", failure(d -> TestBytes.putLong(d, 88, -1)));
        assertEquals(
                "bad.sif: descriptor table has 1000000 slots; at most 65536 are supported",
                failure(d -> TestBytes.putLong(d, 88, 1_000_000)));
        assertEquals(
                "bad.sif: free descriptor count 49 is not between 0 and the total (48)",
                failure(d -> TestBytes.putLong(d, 80, 49)));
        assertEquals(
                "bad.sif: free descriptor count -2 is not between 0 and the total (48)",
                failure(d -> TestBytes.putLong(d, 80, -2)));
        assertEquals(
                "bad.sif: descriptor table size 28081 does not match 48 descriptors of 585 bytes (28080)",
                failure(d -> TestBytes.putLong(d, 104, 28081)));
        assertEquals(
                "bad.sif: header says 45 of 48 descriptors are free, but 2 are in use",
                failure(d -> TestBytes.putLong(d, 80, 45)));
    }

    @Test
    void descriptorTablePlacement() {
        assertEquals(
                "bad.sif: descriptor table offset 0 overlaps the header (128 bytes)",
                failure(d -> TestBytes.putLong(d, 96, 0)));
        assertEquals(
                "bad.sif: descriptor table offset 40000 + size 28080 is past the end of the file (40960 bytes)",
                failure(d -> TestBytes.putLong(d, 96, 40000)));
        assertEquals(
                "bad.sif: descriptor table offset 9223372036854775797 + size 28080 is past the end of the file"
                        + " (40960 bytes)",
                failure(d -> TestBytes.putLong(d, 96, Long.MAX_VALUE - 10)));
    }

    @Test
    void dataSection() {
        assertEquals(
                "bad.sif: data offset 4096 is inside the header or descriptor table (which ends at 32176)",
                failure(d -> TestBytes.putLong(d, 112, 4096)));
        assertEquals("bad.sif: data section offset -5 is negative", failure(d -> TestBytes.putLong(d, 112, -5)));
        assertEquals("bad.sif: data section size -1 is negative", failure(d -> TestBytes.putLong(d, 120, -1)));
        assertEquals(
                "bad.sif: data section offset 32176 + size 9223372036854775807 is past the end of the file"
                        + " (40960 bytes)",
                failure(d -> TestBytes.putLong(d, 120, Long.MAX_VALUE)));
    }

    @Test
    void objectPlacement() {
        assertEquals(
                "bad.sif: descriptor 1: data offset 99999 + size 10 is past the end of the file (40960 bytes)",
                failure(d -> {
                    TestBytes.putLong(d, SLOT0 + 17, 99999);
                    TestBytes.putLong(d, SLOT0 + 25, 10);
                }));
        assertEquals(
                "bad.sif: descriptor 2: data offset 36864 + size 9223372036854775807 is past the end of the file"
                        + " (40960 bytes)",
                failure(d -> TestBytes.putLong(d, SLOT1 + 25, Long.MAX_VALUE)));
        assertEquals(
                "bad.sif: descriptor 2: data offset -1 is negative",
                failure(d -> TestBytes.putLong(d, SLOT1 + 17, -1)));
        assertEquals(
                "bad.sif: descriptor 2: data size -4096 is negative",
                failure(d -> TestBytes.putLong(d, SLOT1 + 25, -4096)));
        assertEquals(
                "bad.sif: descriptor 1: data offset 100 is before the data section (which starts at 32176)",
                failure(d -> TestBytes.putLong(d, SLOT0 + 17, 100)));
        assertEquals(
                "bad.sif: descriptor 2: data offset 36865 + size 4096 is past the end of the file (40960 bytes)",
                failure(d -> TestBytes.putLong(d, SLOT1 + 17, 36865)));
    }

    @Test
    void objectIds() {
        assertEquals(
                "bad.sif: descriptors 1 and 2 both have object ID 1", failure(d -> TestBytes.putInt(d, SLOT1 + 5, 1)));
        assertEquals(
                "bad.sif: descriptor 2: object ID 0 is out of range", failure(d -> TestBytes.putInt(d, SLOT1 + 5, 0)));
        assertEquals(
                "bad.sif: descriptor 2: object ID 4294967295 is out of range",
                failure(d -> TestBytes.putInt(d, SLOT1 + 5, -1)));
    }

    @Test
    void toleratedOddities() {
        byte[] data = Fixtures.bytes(Fixtures.ONE_GROUP);
        int unused = 4096 + 5 * 585;
        Arrays.fill(data, unused, unused + 585, (byte) 0x5a);
        data[unused + 4] = 0; // Used == 0: the rest of the slot is ignored, as Go does
        data[SLOT1 + 4] = 2; // any non-zero Used byte means used
        TestBytes.putInt(data, SLOT0 + 5, 7); // IDs need not be slot + 1
        TestBytes.putInt(data, SLOT0 + 13, 0x1000_0002); // partial nibble: an object link, mask stripped
        data[45] = '9'; // an arch code nobody knows
        data[46] = '9';
        try (SifImage image = MemoryByteSource.open(data, "odd.sif")) {
            assertEquals(2, image.descriptors().size());
            assertEquals(7, image.descriptors().get(0).id());
            assertEquals(SifLink.toObject(2), image.requireDescriptor(7).link());
            assertEquals(SifArch.UNKNOWN, image.header().arch());
            assertEquals("99", image.header().archCode());
        }
    }

    @Test
    void messagesStayOnOneLineWhateverTheFileName() {
        SifException e = assertThrows(SifException.class, () -> MemoryByteSource.open(new byte[3], "evil\nname\r.sif"));
        assertEquals("evil name .sif: file is 3 bytes, too short for a SIF header (128 bytes)", e.getMessage());
    }

    @Test
    void unicodeLineSeparatorsAreFlattenedToo() {
        SifException e = assertThrows(
                SifException.class, () -> MemoryByteSource.open(new byte[3], "a\u2028b\u2029c\u0085d.sif"));
        assertEquals("a b c d.sif: file is 3 bytes, too short for a SIF header (128 bytes)", e.getMessage());
    }

    @Test
    void aDirectoryIsNotAnImage(@TempDir Path dir) {
        SifException e = assertThrows(SifException.class, () -> SifImage.open(dir));
        assertTrue(e.getMessage().startsWith(dir + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aFileTruncatedWhileOpenIsReportedNotMisread(@TempDir Path dir) throws IOException {
        Path sif = Fixtures.copy(Fixtures.ONE_GROUP, dir);
        try (SifImage image = SifImage.open(sif)) {
            Files.write(sif, Arrays.copyOf(Fixtures.bytes(Fixtures.ONE_GROUP), 38000));
            SifDescriptor root = image.requireDescriptor(2);
            SifException e = assertThrows(SifException.class, () -> image.readBytes(root, 8192));
            assertEquals(sif + ": object 2 (FS): file ends at offset 38000 (truncated while open?)", e.getMessage());
            SifException viaStream = assertThrows(
                    SifException.class, () -> image.openStream(root).readAllBytes());
            assertEquals(e.getMessage(), viaStream.getMessage());
        }
    }

    @Test
    void objectSizeLimitsAndForeignDescriptors() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.ONE_GROUP));
                SifImage other = SifImage.open(Fixtures.path(Fixtures.BUSYBOX))) {
            SifException e = assertThrows(SifException.class, () -> image.readBytes(image.requireDescriptor(2), 100));
            assertTrue(e.getMessage().endsWith(": object 2 (FS) is 4096 bytes, more than the 100 allowed here"));
            assertThrows(IllegalArgumentException.class, () -> image.openChannel(other.requireDescriptor(4)));
        }
    }

    @Test
    void objectChannelsStayInsideTheObject() throws IOException {
        MemoryByteSource source = new MemoryByteSource(Fixtures.bytes(Fixtures.ONE_GROUP));
        try (SifImage image = SifImage.open(source, "one-group.sif")) {
            SifDescriptor raw = image.requireDescriptor(1);
            SeekableByteChannel ch = image.openChannel(raw);
            assertEquals(4, ch.size());
            ByteBuffer big = ByteBuffer.allocate(100);
            assertEquals(4, ch.read(big), "never more than the object, though the file goes on");
            assertEquals(-1, ch.read(big));
            ch.position(2);
            ByteBuffer two = ByteBuffer.allocate(10);
            assertEquals(2, ch.read(two));
            assertEquals((byte) 0xfe, two.get(0));
            ch.position(1000);
            assertEquals(-1, ch.read(two.clear()));
            assertThrows(IllegalArgumentException.class, () -> ch.position(-1));
            assertThrows(NonWritableChannelException.class, () -> ch.write(ByteBuffer.allocate(1)));
            assertThrows(NonWritableChannelException.class, () -> ch.truncate(0));
            ch.close();
            assertFalse(ch.isOpen());
            assertThrows(ClosedChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
            // The image itself stays usable after one of its channels is closed.
            assertEquals(4096, image.readBytes(image.requireDescriptor(2), 4096).length);
        }
    }
}
