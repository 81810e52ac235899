package org.jrunc.sif;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The writer reproduces sylabs' deterministic test images byte for byte (they were made with sylabs/sif's
 * test/images/gen_sifs.go; payloads not shipped separately are taken out of the fixtures themselves), and its
 * add/delete semantics match sylabs' sif.
 */
class SifWriterTest {
    private static final byte[] FACE_FEED = HexFormat.of().parseHex("facefeed");
    private static final byte[] PGP_FINGERPRINT = HexFormat.of().parseHex("12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84");

    @TempDir
    Path dir;

    private static byte[] slice(String fixture, int offset, int size) {
        return Arrays.copyOfRange(Fixtures.bytes(fixture), offset, offset + size);
    }

    private Path create(String name, SifCreateOptions options, SifObjectInput... inputs) {
        Path sif = dir.resolve(name);
        try (SifWriter w = SifWriter.create(sif, options)) {
            for (SifObjectInput in : inputs) {
                w.add(in);
            }
        }
        return sif;
    }

    private static SifObjectInput[] oneGroupInputs(SifObjectInput... more) {
        SifObjectInput[] base = {
            SifObjectInput.of(SifDataType.PARTITION, FACE_FEED)
                    .extra(SifExtra.Partition.of(FsType.RAW, PartitionType.SYSTEM, SifArch.I386)),
            SifObjectInput.partition(
                    Fixtures.path(Fixtures.ROOT_SQUASHFS), FsType.SQUASHFS, PartitionType.PRIMARY_SYSTEM, SifArch.I386),
        };
        SifObjectInput[] all = Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static void assertSameBytes(String fixture, Path written) {
        byte[] expected = Fixtures.bytes(fixture);
        byte[] actual = TestBytes.read(written);
        assertEquals(expected.length, actual.length, fixture + ": length");
        assertEquals(-1, Arrays.mismatch(expected, actual), fixture + ": first differing byte");
    }

    @Test
    void reproducesEmptyImages() {
        assertSameBytes(Fixtures.EMPTY, create("empty.sif", SifCreateOptions.deterministic()));
        assertSameBytes(
                Fixtures.EMPTY_LAUNCH_SCRIPT,
                create("els.sif", SifCreateOptions.deterministic().withLaunchScript("#!/usr/bin/env run-script\n")));
    }

    @Test
    void reproducesPartitionImages() {
        SifCreateOptions det = SifCreateOptions.deterministic();
        assertSameBytes(Fixtures.ONE_GROUP, create("one-group.sif", det, oneGroupInputs()));
        SifObjectInput ext3 = SifObjectInput.of(SifDataType.PARTITION, slice(Fixtures.TWO_GROUPS, 40960, 262144))
                .group(2)
                .extra(SifExtra.Partition.of(FsType.EXT3, PartitionType.SYSTEM, SifArch.AMD64));
        assertSameBytes(Fixtures.TWO_GROUPS, create("two-groups.sif", det, oneGroupInputs(ext3)));
    }

    @Test
    void reproducesSignedImages() {
        SifCreateOptions det = SifCreateOptions.deterministic();
        SifObjectInput pgp = SifObjectInput.of(SifDataType.SIGNATURE, slice(Fixtures.SIGNED_PGP, 40960, 1048))
                .noGroup()
                .link(SifLink.toGroup(1))
                .extra(SifExtra.Signature.of(HashType.SHA256, PGP_FINGERPRINT));
        assertSameBytes(Fixtures.SIGNED_PGP, create("pgp.sif", det, oneGroupInputs(pgp)));
        SifObjectInput dsse = SifObjectInput.of(SifDataType.SIGNATURE, slice(Fixtures.SIGNED_DSSE, 40960, 1694))
                .noGroup()
                .link(SifLink.toGroup(1))
                .extra(SifExtra.Signature.of(HashType.SHA256, new byte[0]));
        assertSameBytes(Fixtures.SIGNED_DSSE, create("dsse.sif", det, oneGroupInputs(dsse)));
    }

    @Test
    void reproducesOneObjectImages() {
        SifCreateOptions det = SifCreateOptions.deterministic();
        assertSameBytes(
                Fixtures.GENERIC_JSON,
                create(
                        "json.sif",
                        det,
                        SifObjectInput.of(SifDataType.GENERIC_JSON, "{}".getBytes(StandardCharsets.UTF_8))
                                .name("data.json")));
        assertSameBytes(
                Fixtures.SBOM,
                create(
                        "sbom.sif",
                        det,
                        SifObjectInput.of(SifDataType.SBOM, slice(Fixtures.SBOM, 32176, 454))
                                .extra(SifExtra.Sbom.of(SbomFormat.CYCLONEDX_JSON))));
        assertSameBytes(
                Fixtures.OCI_ROOT_INDEX,
                create(
                        "index.sif",
                        det,
                        SifObjectInput.of(SifDataType.OCI_ROOT_INDEX, Fixtures.path(Fixtures.INPUT_INDEX))));
        assertSameBytes(
                Fixtures.OCI_BLOB,
                create(
                        "blob.sif",
                        det,
                        SifObjectInput.of(SifDataType.OCI_BLOB, Fixtures.path(Fixtures.INPUT_OCI_CONFIG))));
    }

    @Test
    void addingToAnExistingDeterministicImageKeepsItDeterministic() {
        Path sif = Fixtures.copy(Fixtures.ONE_GROUP, dir);
        try (SifWriter w = SifWriter.open(sif)) {
            SifDescriptor d = w.add(SifObjectInput.of(SifDataType.SIGNATURE, slice(Fixtures.SIGNED_PGP, 40960, 1048))
                    .noGroup()
                    .link(SifLink.toGroup(1))
                    .extra(SifExtra.Signature.of(HashType.SHA256, PGP_FINGERPRINT)));
            assertEquals(3, d.id());
        }
        assertSameBytes(Fixtures.SIGNED_PGP, sif);
    }

    @Test
    void deletingWithCompactionUndoesAnAdd() {
        Path twoGroups = Fixtures.copy(Fixtures.TWO_GROUPS, dir);
        try (SifWriter w = SifWriter.open(twoGroups)) {
            w.delete(3, SifDeleteOption.COMPACT);
        }
        assertSameBytes(Fixtures.ONE_GROUP, twoGroups);

        Path signed = Fixtures.copy(Fixtures.SIGNED_DSSE, dir);
        try (SifWriter w = SifWriter.open(signed)) {
            w.delete(3, SifDeleteOption.ZERO_DATA, SifDeleteOption.COMPACT);
        }
        assertSameBytes(Fixtures.ONE_GROUP, signed);
    }

    @Test
    void deleteWithoutCompactionLeavesTheDataAndZeroingClearsIt() {
        Path sif = Fixtures.copy(Fixtures.TWO_GROUPS, dir);
        byte[] before = TestBytes.read(sif);
        try (SifWriter w = SifWriter.open(sif)) {
            w.delete(3);
            assertEquals(46, w.header().descriptorsFree());
            assertEquals(270928, w.header().dataSize(), "DataSize is only recomputed when compacting");
        }
        byte[] after = TestBytes.read(sif);
        assertEquals(before.length, after.length);
        assertArrayEquals(
                Arrays.copyOfRange(before, 40960, before.length), Arrays.copyOfRange(after, 40960, after.length));
        try (SifImage image = SifImage.open(sif)) {
            assertTrue(image.descriptor(3).isEmpty());
        }

        try (SifWriter w = SifWriter.open(sif)) {
            w.delete(2, SifDeleteOption.ZERO_DATA);
        }
        byte[] zeroed = TestBytes.read(sif);
        assertArrayEquals(new byte[4096], Arrays.copyOfRange(zeroed, 36864, 40960));
        try (SifImage image = SifImage.open(sif)) {
            assertEquals(SifArch.UNKNOWN, image.header().arch(), "deleting the primary partition resets the arch");
            assertTrue(image.primaryPartition().isEmpty());
            assertEquals(47, image.header().descriptorsFree());
        }
    }

    @Test
    void addReusesTheLowestFreeSlotButNeverAHole() {
        Path sif = Fixtures.copy(Fixtures.TWO_GROUPS, dir);
        try (SifWriter w = SifWriter.open(sif)) {
            w.delete(2);
            SifDescriptor d = w.add(SifObjectInput.of(SifDataType.GENERIC, new byte[] {7, 7}));
            assertEquals(2, d.id(), "ID = first free slot + 1");
            assertEquals(303104, d.offset(), "data goes after the furthest object end, not into the hole");
            assertEquals(2, d.sizeWithPadding());
            assertEquals(303106 - 32176, w.header().dataSize());
            assertEquals(SifArch.UNKNOWN, w.header().arch());
        }
        try (SifImage image = SifImage.open(sif)) {
            assertArrayEquals(new byte[] {7, 7}, image.readBytes(image.requireDescriptor(2), 2));
            assertEquals(303106, image.fileSize());
        }
    }

    @Test
    void roundTripOfEveryKindOfObject() {
        UUID id = UUID.fromString("0b19ec2c-0b08-46c9-95ae-fa88cd9e48a1");
        Instant t0 = Instant.parse("2024-01-02T03:04:05Z");
        Instant t1 = Instant.parse("2024-02-03T04:05:06Z");
        Path sif = dir.resolve("all.sif");
        try (SifWriter w = SifWriter.create(
                sif,
                SifCreateOptions.defaults()
                        .withLaunchScript(SifCreateOptions.SINGULARITY_LAUNCH_SCRIPT)
                        .withId(id)
                        .withClock(SifClock.fixed(t0))
                        .withDescriptorCapacity(10))) {
            w.add(SifObjectInput.of(SifDataType.DEFFILE, "Bootstrap: docker\n".getBytes(StandardCharsets.UTF_8)));
            w.add(SifObjectInput.of(SifDataType.GENERIC_JSON, "{\"a\":1}".getBytes(StandardCharsets.UTF_8))
                    .name("oci-config.json"));
            w.add(SifObjectInput.partition(
                    Fixtures.path(Fixtures.ROOT_SQUASHFS),
                    FsType.ENCRYPTED_SQUASHFS,
                    PartitionType.PRIMARY_SYSTEM,
                    SifArch.ARM64));
            w.add(SifObjectInput.of(SifDataType.CRYPTO_MESSAGE, new byte[] {1, 2, 3})
                    .link(SifLink.toObject(3))
                    .extra(SifExtra.CryptoMessage.of(CryptoFormat.PEM, CryptoMessageType.RSA_OAEP)));
            w.add(SifObjectInput.of(SifDataType.SBOM, "{}".getBytes(StandardCharsets.UTF_8))
                    .group(5)
                    .extra(SifExtra.Sbom.of(SbomFormat.SPDX_JSON))
                    .time(t1));
            w.add(SifObjectInput.of(SifDataType.OCI_BLOB, "blob".getBytes(StandardCharsets.UTF_8))
                    .alignment(512));
            w.add(SifObjectInput.of(SifDataType.ENV_VARS, new byte[0]));
        }
        try (SifImage image = SifImage.open(sif)) {
            SifHeader h = image.header();
            assertEquals(SifCreateOptions.SINGULARITY_LAUNCH_SCRIPT, h.launchScript());
            assertEquals(id, h.id());
            assertEquals(t0, h.created().orElseThrow());
            assertEquals(t0, h.modified().orElseThrow());
            assertEquals(SifArch.ARM64, h.arch());
            assertEquals(10, h.descriptorsTotal());
            assertEquals(3, h.descriptorsFree());
            assertEquals(4096 + 10 * 585, h.dataOffset());

            SifDescriptor def = image.requireDescriptor(1);
            assertEquals(h.dataOffset(), def.offset());
            assertEquals(t0, def.created().orElseThrow());
            assertEquals("oci-config.json", image.requireDescriptor(2).name());
            SifDescriptor part = image.primaryPartition().orElseThrow();
            assertEquals(3, part.id());
            assertEquals(0, part.offset() % 4096);
            assertEquals(part.offset() - image.requireDescriptor(2).end() + 4096, part.sizeWithPadding());
            SifDescriptor key = image.requireDescriptor(4);
            assertEquals(SifLink.toObject(3), key.link());
            assertEquals(part.end(), key.offset(), "non-partitions are not aligned");
            assertEquals(SifExtra.CryptoMessage.of(CryptoFormat.PEM, CryptoMessageType.RSA_OAEP), key.extra());
            SifDescriptor sbom = image.requireDescriptor(5);
            assertEquals(5, sbom.groupId());
            assertEquals(t1, sbom.created().orElseThrow());
            assertEquals(SbomFormat.SPDX_JSON, ((SifExtra.Sbom) sbom.extra()).format());
            SifDescriptor blob = image.requireDescriptor(6);
            assertEquals(0, blob.offset() % 512);
            assertEquals(
                    OciDigest.sha256("blob".getBytes(StandardCharsets.UTF_8)).toString(),
                    blob.ociDigest().orElseThrow());
            SifDescriptor empty = image.requireDescriptor(7);
            assertEquals(0, empty.size());
            assertEquals(blob.end(), image.fileSize());
            assertEquals(image.fileSize() - h.dataOffset(), h.dataSize());
        }

        Instant t2 = Instant.parse("2025-05-05T05:05:05Z");
        try (SifWriter w = SifWriter.open(sif, SifClock.fixed(t2))) {
            w.delete(7);
        }
        try (SifImage image = SifImage.open(sif)) {
            assertEquals(t0, image.header().created().orElseThrow());
            assertEquals(t2, image.header().modified().orElseThrow());
        }
    }

    @Test
    void openingANonDeterministicImageUsesTheCurrentTime() {
        Path sif = Fixtures.copy(Fixtures.BUSYBOX, dir);
        Instant before = Instant.now().minusSeconds(1);
        try (SifWriter w = SifWriter.open(sif)) {
            SifDescriptor d = w.add(SifObjectInput.of(SifDataType.LABELS, "{}".getBytes(StandardCharsets.UTF_8)));
            assertEquals(6, d.id());
            assertFalse(d.created().orElseThrow().isBefore(before));
        }
        try (SifImage image = SifImage.open(sif)) {
            assertFalse(image.header().modified().orElseThrow().isBefore(before));
            assertEquals(
                    Instant.parse("2021-08-02T19:09:36Z"),
                    image.header().created().orElseThrow());
        }
    }

    @Test
    void anEmptyObjectAfterPaddingStillLeavesAReadableFile() {
        Path sif = create(
                "pad.sif",
                SifCreateOptions.deterministic(),
                SifObjectInput.of(SifDataType.GENERIC, new byte[0]).alignment(4096));
        try (SifImage image = SifImage.open(sif)) {
            SifDescriptor d = image.requireDescriptor(1);
            assertEquals(32768, d.offset());
            assertEquals(0, d.size());
            assertEquals(32768, image.fileSize());
        }
    }

    @Test
    void anImageWithoutSlotsIsStillAValidImage() {
        Path sif = create("none.sif", SifCreateOptions.deterministic().withDescriptorCapacity(0));
        try (SifImage image = SifImage.open(sif)) {
            assertEquals(4096, image.header().dataOffset());
            assertEquals(4096, image.fileSize());
            assertTrue(image.descriptors().isEmpty());
        }
        try (SifWriter w = SifWriter.open(sif)) {
            SifException e =
                    assertThrows(SifException.class, () -> w.add(SifObjectInput.of(SifDataType.GENERIC, new byte[1])));
            assertEquals(sif + ": no free descriptor slot for a new object (all 0 are used)", e.getMessage());
        }
    }

    @Test
    void refusals() {
        Path sif = create("small.sif", SifCreateOptions.deterministic().withDescriptorCapacity(2), oneGroupInputs());
        try (SifWriter w = SifWriter.open(sif)) {
            SifException full =
                    assertThrows(SifException.class, () -> w.add(SifObjectInput.of(SifDataType.GENERIC, new byte[1])));
            assertEquals(sif + ": no free descriptor slot for a new object (all 2 are used)", full.getMessage());
            w.delete(1);
            SifException second = assertThrows(
                    SifException.class,
                    () -> w.add(SifObjectInput.partition(
                            Fixtures.path(Fixtures.ROOT_SQUASHFS),
                            FsType.SQUASHFS,
                            PartitionType.PRIMARY_SYSTEM,
                            SifArch.AMD64)));
            assertEquals(sif + ": already has a primary system partition (object 2)", second.getMessage());
            SifException missing = assertThrows(SifException.class, () -> w.delete(1));
            assertEquals(sif + ": no object with ID 1", missing.getMessage());
            assertThrows(
                    IllegalArgumentException.class, () -> w.add(SifObjectInput.of(SifDataType.PARTITION, new byte[1])));
        }

        assertThrows(
                IllegalArgumentException.class,
                () -> SifCreateOptions.deterministic().withLaunchScript("#!/a/launch/script/that/is/too/long\n"));
        assertThrows(
                IllegalArgumentException.class,
                () -> SifCreateOptions.deterministic().withLaunchScript("#!/usr/bin/env ☃\n"));
        assertThrows(
                IllegalArgumentException.class,
                () -> SifObjectInput.of(SifDataType.GENERIC, new byte[0]).name("x".repeat(129)));
        assertThrows(
                IllegalArgumentException.class,
                () -> SifObjectInput.of(SifDataType.GENERIC, new byte[0])
                        .extra(SifExtra.Sbom.of(SbomFormat.SPDX_JSON)));
        assertThrows(
                IllegalArgumentException.class,
                () -> SifObjectInput.of(SifDataType.OCI_BLOB, new byte[0])
                        .extra(new SifExtra.OciBlobDigest("sha256:00")));
        assertThrows(
                IllegalArgumentException.class,
                () -> SifObjectInput.of(SifDataType.PARTITION, new byte[0])
                        .extra(SifExtra.Partition.of(FsType.SQUASHFS, PartitionType.SYSTEM, SifArch.UNKNOWN)));
        assertThrows(
                IllegalArgumentException.class,
                () -> SifObjectInput.of(SifDataType.GENERIC, new byte[0]).group(0));
        assertThrows(IllegalArgumentException.class, () -> SifObjectInput.of(SifDataType.UNKNOWN, new byte[0]));
    }

    @Test
    void aFailingInputLeavesTheImageAsItWas() throws IOException {
        Path sif = Fixtures.copy(Fixtures.ONE_GROUP, dir);
        try (SifWriter w = SifWriter.open(sif)) {
            SifException e = assertThrows(
                    SifException.class,
                    () -> w.add(SifObjectInput.of(SifDataType.GENERIC, FailingStream::new, "test input")));
            assertEquals(
                    sif + ": cannot read the data of the new Generic/Raw object from test input: disk on fire",
                    e.getMessage());
        }
        try (SifImage image = SifImage.open(sif)) {
            assertEquals(2, image.descriptors().size(), "the header never saw the partial object");
            assertTrue(Files.size(sif) > 40960, "the partial data is past the end the header records");
        }
    }

    @Test
    void openingACorruptImageForWritingFails() {
        Path sif = dir.resolve("corrupt.sif");
        byte[] data = Fixtures.bytes(Fixtures.ONE_GROUP);
        TestBytes.putLong(data, 80, 47);
        TestBytes.write(sif, data);
        SifException e = assertThrows(SifException.class, () -> SifWriter.open(sif));
        assertEquals(sif + ": header says 47 of 48 descriptors are free, but 2 are in use", e.getMessage());
    }

    /** 100000 bytes of data, then an I/O error; every read path fails, so it can never run on. */
    private static final class FailingStream extends InputStream {
        private int left = 100_000;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new IOException("disk on fire");
            }
            int n = Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 1);
            left -= n;
            return n;
        }
    }
}
