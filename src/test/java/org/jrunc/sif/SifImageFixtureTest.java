package org.jrunc.sif;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every fixture parses to what its README (and siftool) says it holds. */
class SifImageFixtureTest {
    private static final long DETERMINISTIC_DATA_OFFSET = 32176;

    @Test
    void everySifFixtureInTheDirectoryOpens() throws Exception {
        Path base = Fixtures.path(".");
        List<Path> sifs;
        try (Stream<Path> walk = Files.walk(base)) {
            sifs = walk.filter(p -> p.toString().endsWith(".sif")).sorted().toList();
        }
        assertTrue(sifs.size() >= 16, "expected the 16 SIF fixtures, found " + sifs);
        for (Path p : sifs) {
            try (SifImage image = SifImage.open(p)) {
                assertEquals(Files.size(p), image.fileSize(), p.toString());
                assertEquals(
                        image.header().descriptorsUsed(), image.descriptors().size(), p.toString());
                for (SifDescriptor d : image.descriptors()) {
                    assertEquals(d.size(), image.readBytes(d, Integer.MAX_VALUE - 8).length);
                }
            }
        }
    }

    @Test
    void emptyImage() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.EMPTY))) {
            SifHeader h = image.header();
            assertEquals("", h.launchScript());
            assertEquals("01", h.version());
            assertEquals(SifArch.UNKNOWN, h.arch());
            assertEquals(SifHeader.NIL_ID, h.id());
            assertEquals(SifClock.UNSET, h.createdAt());
            assertEquals(SifClock.UNSET, h.modifiedAt());
            assertTrue(h.created().isEmpty());
            assertTrue(h.isDeterministic());
            assertEquals(48, h.descriptorsFree());
            assertEquals(48, h.descriptorsTotal());
            assertEquals(4096, h.descriptorsOffset());
            assertEquals(48 * 585, h.descriptorsSize());
            assertEquals(DETERMINISTIC_DATA_OFFSET, h.dataOffset());
            assertEquals(0, h.dataSize());
            assertEquals(32176, image.fileSize());
            assertTrue(image.descriptors().isEmpty());
            assertTrue(image.primaryPartition().isEmpty());
            assertFalse(image.isOciSif());
        }
    }

    @Test
    void emptyImageWithLaunchScript() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.EMPTY_LAUNCH_SCRIPT))) {
            assertEquals("#!/usr/bin/env run-script\n", image.header().launchScript());
            assertEquals(48, image.header().descriptorsFree());
            assertTrue(image.descriptors().isEmpty());
        }
    }

    @Test
    void oneGroup() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.ONE_GROUP))) {
            SifHeader h = image.header();
            assertEquals(SifArch.I386, h.arch());
            assertEquals("01", h.archCode());
            assertEquals(46, h.descriptorsFree());
            assertEquals(48, h.descriptorsTotal());
            assertEquals(DETERMINISTIC_DATA_OFFSET, h.dataOffset());
            assertEquals(8784, h.dataSize());
            assertEquals(2, image.descriptors().size());
            assertOneGroupObjects(image);
        }
    }

    /** The two partitions every one-group derived fixture starts with. */
    static void assertOneGroupObjects(SifImage image) {
        SifDescriptor raw = image.requireDescriptor(1);
        assertEquals(SifDataType.PARTITION, raw.dataType());
        assertEquals(1, raw.groupId());
        assertTrue(raw.link().isNone());
        assertEquals(32768, raw.offset());
        assertEquals(4, raw.size());
        assertEquals(596, raw.sizeWithPadding());
        assertEquals(SifClock.UNSET, raw.createdAt());
        assertEquals("", raw.name());
        assertEquals(new SifExtra.Partition(FsType.RAW.code(), PartitionType.SYSTEM.code(), "01"), raw.extra());
        assertArrayEquals(HexFormat.of().parseHex("facefeed"), image.readBytes(raw, 16));

        SifDescriptor root = image.requireDescriptor(2);
        SifExtra.Partition p = root.partition().orElseThrow();
        assertEquals(FsType.SQUASHFS, p.fsType());
        assertEquals(PartitionType.PRIMARY_SYSTEM, p.partitionType());
        assertEquals(SifArch.I386, p.arch());
        assertEquals(36864, root.offset());
        assertEquals(4096, root.size());
        assertEquals(8188, root.sizeWithPadding());
        assertEquals(1, root.groupId());
        assertEquals(root, image.primaryPartition().orElseThrow());
        assertTrue(image.isSquashfs(root));
        assertFalse(image.isSquashfs(raw));
        assertArrayEquals(Fixtures.bytes(Fixtures.ROOT_SQUASHFS), image.readBytes(root, 4096));
        assertEquals(List.of(raw, root), image.inGroup(1));
        assertTrue(image.ofType(SifDataType.PARTITION).containsAll(List.of(raw, root)));
    }

    @Test
    void twoGroups() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.TWO_GROUPS))) {
            assertEquals(45, image.header().descriptorsFree());
            assertEquals(270928, image.header().dataSize());
            assertOneGroupObjects(image);
            SifDescriptor ext3 = image.requireDescriptor(3);
            assertEquals(2, ext3.groupId());
            assertEquals(40960, ext3.offset());
            assertEquals(262144, ext3.size());
            assertEquals(262144, ext3.sizeWithPadding());
            SifExtra.Partition p = ext3.partition().orElseThrow();
            assertEquals(FsType.EXT3, p.fsType());
            assertEquals(PartitionType.SYSTEM, p.partitionType());
            assertEquals(SifArch.AMD64, p.arch());
            assertEquals(List.of(ext3), image.inGroup(2));
            // Group membership does not change the primary partition or the header arch.
            assertEquals(2, image.primaryPartition().orElseThrow().id());
            assertEquals(SifArch.I386, image.header().arch());
        }
    }

    @Test
    void signedWithDsse() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.SIGNED_DSSE))) {
            assertOneGroupObjects(image);
            SifDescriptor sig = image.requireDescriptor(3);
            assertEquals(SifDataType.SIGNATURE, sig.dataType());
            assertEquals(0, sig.groupId());
            assertEquals(SifLink.toGroup(1), sig.link());
            assertEquals(40960, sig.offset());
            assertEquals(1694, sig.size());
            SifExtra.Signature s = (SifExtra.Signature) sig.extra();
            assertEquals(HashType.SHA256, s.hashType());
            assertTrue(s.fingerprint().isEmpty(), "DSSE signatures carry no fingerprint");
            assertEquals(List.of(sig), image.linkedTo(SifLink.toGroup(1)));
            assertEquals(List.of(sig), image.inGroup(0));
            assertTrue(new String(image.readBytes(sig, 4096), StandardCharsets.UTF_8).contains("payloadType"));
        }
    }

    @Test
    void signedWithPgp() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.SIGNED_PGP))) {
            assertOneGroupObjects(image);
            assertEquals(45, image.header().descriptorsFree());
            SifDescriptor sig = image.requireDescriptor(3);
            assertEquals(SifLink.toGroup(1), sig.link());
            assertEquals(0, sig.groupId());
            assertEquals(1048, sig.size());
            SifExtra.Signature s = (SifExtra.Signature) sig.extra();
            assertEquals(HashType.SHA256, s.hashType());
            assertEquals(
                    "12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84", s.fingerprint().orElseThrow());
            assertTrue(new String(image.readBytes(sig, 4096), StandardCharsets.US_ASCII)
                    .startsWith("-----BEGIN PGP SIGNED MESSAGE-----"));
        }
    }

    @Test
    void oneObjectGenericJson() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.GENERIC_JSON))) {
            SifDescriptor d = image.requireDescriptor(1);
            assertEquals(SifDataType.GENERIC_JSON, d.dataType());
            assertEquals("data.json", d.name());
            assertEquals(List.of(d), image.named("data.json"));
            assertEquals(DETERMINISTIC_DATA_OFFSET, d.offset());
            assertEquals("{}", new String(image.readBytes(d, 16), StandardCharsets.UTF_8));
            assertTrue(((SifExtra.Opaque) d.extra()).isEmpty());
        }
    }

    @Test
    void oneObjectSbom() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.SBOM))) {
            SifDescriptor d = image.requireDescriptor(1);
            assertEquals(SifDataType.SBOM, d.dataType());
            assertEquals(SbomFormat.CYCLONEDX_JSON, ((SifExtra.Sbom) d.extra()).format());
            assertEquals(454, d.size());
            assertTrue(new String(image.readBytes(d, 1024), StandardCharsets.UTF_8).contains("CycloneDX"));
        }
    }

    @Test
    void oneObjectOciRootIndexAndBlob() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.OCI_ROOT_INDEX))) {
            SifDescriptor d = image.requireDescriptor(1);
            assertEquals(SifDataType.OCI_ROOT_INDEX, d.dataType());
            assertEquals(
                    "sha256:2dc692f0dcaf7e3cb30db2d5d61004e4319f13db84331b65f066481c0f94cffb",
                    d.ociDigest().orElseThrow());
            assertArrayEquals(Fixtures.bytes(Fixtures.INPUT_INDEX), image.readBytes(d, 4096));
            assertTrue(image.isOciSif());
        }
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.OCI_BLOB))) {
            SifDescriptor d = image.requireDescriptor(1);
            assertEquals(SifDataType.OCI_BLOB, d.dataType());
            assertEquals(
                    "sha256:a88b15e95042f7d5a1327c03c57e10bdc1cf5f5efc2968fc73c12b6f5b00c731",
                    d.ociDigest().orElseThrow());
            assertEquals(847, d.size());
            assertArrayEquals(Fixtures.bytes(Fixtures.INPUT_OCI_CONFIG), image.readBytes(d, 4096));
            assertFalse(image.isOciSif(), "a blob without a root index is not an OCI-SIF");
        }
    }

    @Test
    void busyboxBuiltBySingularity() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.BUSYBOX))) {
            SifHeader h = image.header();
            assertEquals("#!/usr/bin/env run-singularity\n", h.launchScript());
            assertEquals(SifArch.AMD64, h.arch());
            assertEquals(UUID.fromString("4f307b4c-58a8-4753-9c0f-21dceefed4a6"), h.id());
            assertEquals(Instant.parse("2021-08-02T19:09:36Z"), h.created().orElseThrow());
            assertFalse(h.isDeterministic());
            assertEquals(32768, h.dataOffset());
            assertEquals(43, h.descriptorsFree());
            assertEquals(792293 - 32768, h.dataSize());

            List<SifDescriptor> ds = image.descriptors();
            assertEquals(
                    List.of(
                            SifDataType.DEFFILE,
                            SifDataType.GENERIC_JSON,
                            SifDataType.GENERIC_JSON,
                            SifDataType.PARTITION,
                            SifDataType.SIGNATURE),
                    ds.stream().map(SifDescriptor::dataType).toList());
            assertEquals(
                    List.of(1, 2, 3, 4, 5), ds.stream().map(SifDescriptor::id).toList());
            assertEquals("inspect-metadata.json", ds.get(1).name());
            SifDescriptor ociConfig = image.named("oci-config.json").get(0);
            assertEquals(3, ociConfig.id());
            assertTrue(
                    new String(image.readBytes(ociConfig, 4096), StandardCharsets.UTF_8).contains("\"Cmd\":[\"sh\"]"));
            for (SifDescriptor d : ds) {
                assertEquals(0, d.offset() % 4096, "the old writer aligned every object");
            }

            SifDescriptor root = image.primaryPartition().orElseThrow();
            assertEquals(4, root.id());
            assertEquals(45056, root.offset());
            assertEquals(745472, root.size());
            assertEquals("squashfs-275937245", root.name());
            assertEquals(
                    SifExtra.Partition.of(FsType.SQUASHFS, PartitionType.PRIMARY_SYSTEM, SifArch.AMD64), root.extra());
            assertTrue(image.isSquashfs(root));

            SifDescriptor sig = image.requireDescriptor(5);
            assertEquals(SifLink.toGroup(1), sig.link());
            assertEquals(0, sig.groupId());
            assertEquals(1000, sig.uid());
            assertEquals(1001, sig.gid());
            String fp = ((SifExtra.Signature) sig.extra()).fingerprint().orElseThrow();
            assertTrue(fp.startsWith("1137E72E") && fp.endsWith("03B2"), fp);
        }
    }

    @Test
    void oneGroupFromSingularityHasAFakeSquashfs() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.ONE_GROUP_SINGULARITY))) {
            SifHeader h = image.header();
            assertEquals(UUID.fromString("6ecc76b7-a497-4f7f-9ebd-8da2a04c6be1"), h.id());
            assertEquals(Instant.parse("2020-05-22T19:30:59Z"), h.created().orElseThrow());
            assertEquals(32768, h.dataOffset());
            assertEquals(SifArch.I386, h.arch());
            SifDescriptor root = image.primaryPartition().orElseThrow();
            assertEquals(2, root.id());
            assertEquals(4, root.size());
            assertFalse(image.isSquashfs(root), "only 4 bytes: not a real squashfs");
            assertEquals(1000, root.uid());
        }
    }

    @Test
    void ociSifFixtureHeaders() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.DOCKER_MANIFEST))) {
            SifHeader h = image.header();
            assertTrue(h.isDeterministic());
            assertEquals(SifArch.UNKNOWN, h.arch());
            assertEquals(0, h.descriptorsFree());
            assertEquals(4, h.descriptorsTotal());
            assertEquals(6436, h.dataOffset());
            assertEquals(
                    List.of(
                            SifDataType.OCI_BLOB,
                            SifDataType.OCI_BLOB,
                            SifDataType.OCI_BLOB,
                            SifDataType.OCI_ROOT_INDEX),
                    image.descriptors().stream().map(SifDescriptor::dataType).toList());
            assertTrue(image.isOciSif());
            assertEquals(
                    List.of(6436L, 9644L, 11129L, 11654L),
                    image.descriptors().stream().map(SifDescriptor::offset).toList());
            assertEquals(
                    List.of(3208L, 1485L, 525L, 314L),
                    image.descriptors().stream().map(SifDescriptor::size).toList());
            for (SifDescriptor d : image.descriptors()) {
                assertEquals(1, d.groupId());
                assertEquals(d.size(), d.sizeWithPadding(), "OCI blobs are not aligned");
            }
        }
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.IMAGE_WITH_REFERENCE))) {
            assertEquals(1, image.header().descriptorsFree());
            assertEquals(5, image.header().descriptorsTotal());
            assertEquals(4, image.descriptors().size());
        }
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.DOCKER_MANIFEST_LIST))) {
            assertEquals(28, image.header().descriptorsTotal());
            assertEquals(0, image.header().descriptorsFree());
            assertEquals(20476, image.header().dataOffset());
            assertEquals(28, image.descriptors().get(27).id());
            assertEquals(SifDataType.OCI_ROOT_INDEX, image.descriptors().get(27).dataType());
        }
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.EMPTY_OCI))) {
            assertFalse(image.header().isDeterministic(), "written by an older Singularity with a random ID");
            SifDescriptor root = image.requireDescriptor(1);
            assertEquals(SifDataType.OCI_ROOT_INDEX, root.dataType());
            assertEquals("{}\n", new String(image.readBytes(root, 16), StandardCharsets.UTF_8));
        }
    }

    @Test
    void objectDigestsMatchTheRecordedOnes() {
        for (String f : List.of(
                Fixtures.DOCKER_MANIFEST,
                Fixtures.IMAGE_WITH_REFERENCE,
                Fixtures.DOCKER_MANIFEST_LIST,
                Fixtures.OCI_BLOB,
                Fixtures.OCI_ROOT_INDEX,
                Fixtures.EMPTY_OCI)) {
            try (SifImage image = SifImage.open(Fixtures.path(f))) {
                for (SifDescriptor d : image.ofType(SifDataType.OCI_BLOB)) {
                    assertEquals(
                            d.ociDigest().orElseThrow(),
                            OciDigest.sha256(image.readBytes(d, 1 << 20)).toString(),
                            f + " " + d);
                }
            }
        }
    }

    @Test
    void copyObjectIsSiftoolDump() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.ONE_GROUP))) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            image.copyObject(1, out);
            assertArrayEquals(HexFormat.of().parseHex("facefeed"), out.toByteArray());
            out.reset();
            image.copyObject(2, out);
            assertArrayEquals(Fixtures.bytes(Fixtures.ROOT_SQUASHFS), out.toByteArray());
            SifException e = assertThrows(SifException.class, () -> image.copyObject(9, out));
            assertEquals(Fixtures.path(Fixtures.ONE_GROUP) + ": no object with ID 9", e.getMessage());
        }
    }

    @Test
    void notASifIsRejectedOnOneLine() {
        for (String f : List.of(Fixtures.BARE_SQUASHFS, Fixtures.INPUT_INDEX)) {
            SifException e = assertThrows(SifException.class, () -> SifImage.open(Fixtures.path(f)));
            assertEquals(Fixtures.path(f) + ": not a SIF image (no SIF_MAGIC at offset 32)", e.getMessage());
        }
        SifException e = assertThrows(
                SifException.class, () -> SifImage.open(Fixtures.base().resolve("no-such-image.sif")));
        assertTrue(e.getMessage().endsWith("no-such-image.sif: cannot open: no such file"), e.getMessage());
    }
}
