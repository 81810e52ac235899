package org.jrunc.sif;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * list/info/header output against the goldens of sylabs/sif {@code internal/app/siftool/testdata} (TestApp_List,
 * TestApp_Info, TestApp_Header), which were produced from the same test images as the fixtures.
 */
class SifListingTest {
    private static final String LIST_HEAD = """
            ------------------------------------------------------------------------------
            ID   |GROUP   |LINK    |SIF POSITION (start-end)  |TYPE
            ------------------------------------------------------------------------------
            """;
    private static final String ONE_GROUP_ROWS = """
            1    |1       |NONE    |32768-32772               |FS (Raw/System/386)
            2    |1       |NONE    |36864-40960               |FS (Squashfs/*System/386)
            """;

    private static String list(String fixture) {
        try (SifImage image = SifImage.open(Fixtures.path(fixture))) {
            return SifListing.list(image);
        }
    }

    private static String info(String fixture, int id) {
        try (SifImage image = SifImage.open(Fixtures.path(fixture))) {
            return SifListing.info(image, id);
        }
    }

    private static String header(String fixture) {
        try (SifImage image = SifImage.open(Fixtures.path(fixture))) {
            return SifListing.header(image);
        }
    }

    @Test
    void listGoldens() {
        assertEquals(LIST_HEAD, list(Fixtures.EMPTY));
        assertEquals(LIST_HEAD, list(Fixtures.EMPTY_LAUNCH_SCRIPT));
        assertEquals(LIST_HEAD + ONE_GROUP_ROWS, list(Fixtures.ONE_GROUP));
        assertEquals(
                LIST_HEAD + ONE_GROUP_ROWS
                        + "3    |2       |NONE    |40960-303104              |FS (Ext3/System/amd64)\n",
                list(Fixtures.TWO_GROUPS));
        assertEquals(
                LIST_HEAD + ONE_GROUP_ROWS + "3    |NONE    |1   (G) |40960-42008               |Signature (SHA-256)\n",
                list(Fixtures.SIGNED_PGP));
        assertEquals(
                LIST_HEAD + ONE_GROUP_ROWS + "3    |NONE    |1   (G) |40960-42654               |Signature (SHA-256)\n",
                list(Fixtures.SIGNED_DSSE));
        assertEquals(
                LIST_HEAD + "1    |1       |NONE    |32176-32178               |JSON.Generic\n",
                list(Fixtures.GENERIC_JSON));
        assertEquals(
                LIST_HEAD + "1    |1       |NONE    |32176-33023               |OCI.Blob\n", list(Fixtures.OCI_BLOB));
        assertEquals(
                LIST_HEAD + "1    |1       |NONE    |32176-32882               |OCI.RootIndex\n",
                list(Fixtures.OCI_ROOT_INDEX));
        assertEquals(
                LIST_HEAD + "1    |1       |NONE    |32176-32630               |SBOM (cyclonedx-json)\n",
                list(Fixtures.SBOM));
    }

    @Test
    void listOfARealSingularityImage() {
        assertEquals(LIST_HEAD + """
                1    |1       |NONE    |32768-32807               |Def.FILE
                2    |1       |NONE    |36864-38760               |JSON.Generic
                3    |1       |NONE    |40960-41050               |JSON.Generic
                4    |1       |NONE    |45056-790528              |FS (Squashfs/*System/amd64)
                5    |NONE    |1   (G) |790528-792293             |Signature (SHA-256)
                """, list(Fixtures.BUSYBOX));
    }

    @Test
    void infoGoldens() {
        assertEquals("""
                  Data Type:        FS
                  ID:               1
                  Group ID:         1
                  Linked ID:        NONE
                  Offset:           32768
                  Size:             4
                  Filesystem Type:  Raw
                  Partition Type:   System
                  Architecture:     386
                """, info(Fixtures.ONE_GROUP, 1));
        assertEquals("""
                  Data Type:        FS
                  ID:               2
                  Group ID:         1
                  Linked ID:        NONE
                  Offset:           36864
                  Size:             4096
                  Filesystem Type:  Squashfs
                  Partition Type:   *System
                  Architecture:     386
                """, info(Fixtures.ONE_GROUP, 2));
        assertEquals("""
                  Data Type:        FS
                  ID:               3
                  Group ID:         2
                  Linked ID:        NONE
                  Offset:           40960
                  Size:             262144
                  Filesystem Type:  Ext3
                  Partition Type:   System
                  Architecture:     amd64
                """, info(Fixtures.TWO_GROUPS, 3));
        // The golden (DataSignature) was taken from two-groups-signed-pgp: ID 4 at 303104; here it is ID 3.
        assertEquals("""
                  Data Type:  Signature
                  ID:         3
                  Group ID:   NONE
                  Linked ID:  1 (G)
                  Offset:     40960
                  Size:       1048
                  Hash Type:  SHA-256
                  Entity:     12045C8C0B1004D058DE4BEDA20C27EE7FF7BA84
                """, info(Fixtures.SIGNED_PGP, 3));
        assertEquals("""
                  Data Type:  JSON.Generic
                  ID:         1
                  Group ID:   1
                  Linked ID:  NONE
                  Offset:     32176
                  Size:       2
                  Name:       data.json
                """, info(Fixtures.GENERIC_JSON, 1));
        assertEquals("""
                  Data Type:  OCI.Blob
                  ID:         1
                  Group ID:   1
                  Linked ID:  NONE
                  Offset:     32176
                  Size:       847
                  Digest:     sha256:a88b15e95042f7d5a1327c03c57e10bdc1cf5f5efc2968fc73c12b6f5b00c731
                """, info(Fixtures.OCI_BLOB, 1));
        assertEquals("""
                  Data Type:  OCI.RootIndex
                  ID:         1
                  Group ID:   1
                  Linked ID:  NONE
                  Offset:     32176
                  Size:       706
                  Digest:     sha256:2dc692f0dcaf7e3cb30db2d5d61004e4319f13db84331b65f066481c0f94cffb
                """, info(Fixtures.OCI_ROOT_INDEX, 1));
        assertEquals("""
                  Data Type:  SBOM
                  ID:         1
                  Group ID:   1
                  Linked ID:  NONE
                  Offset:     32176
                  Size:       454
                  Format:     cyclonedx-json
                """, info(Fixtures.SBOM, 1));
    }

    @Test
    void infoOfAnObjectWithTimesAndName() {
        assertEquals("""
                  Data Type:        FS
                  ID:               4
                  Group ID:         1
                  Linked ID:        NONE
                  Offset:           45056
                  Size:             745472
                  Created At:       2021-08-02 19:09:36 +0000 UTC
                  Modified At:      2021-08-02 19:09:36 +0000 UTC
                  Name:             squashfs-275937245
                  Filesystem Type:  Squashfs
                  Partition Type:   *System
                  Architecture:     amd64
                """, info(Fixtures.BUSYBOX, 4));
    }

    /** Golden TestApp_Info/Time and TestApp_Header/OneObjectTime, rebuilt: the image itself is not a fixture. */
    @Test
    void timeGoldens(@TempDir Path dir) {
        Path sif = dir.resolve("time.sif");
        SifClock clock = SifClock.fixed(Instant.parse("2020-06-30T00:01:56Z"));
        try (SifWriter w =
                SifWriter.create(sif, SifCreateOptions.deterministic().withClock(clock))) {
            w.add(SifObjectInput.of(SifDataType.GENERIC_JSON, "{}".getBytes(StandardCharsets.UTF_8))
                    .name("data.json"));
        }
        try (SifImage image = SifImage.open(sif)) {
            assertEquals("""
                      Data Type:    JSON.Generic
                      ID:           1
                      Group ID:     1
                      Linked ID:    NONE
                      Offset:       32176
                      Size:         2
                      Created At:   2020-06-30 00:01:56 +0000 UTC
                      Modified At:  2020-06-30 00:01:56 +0000 UTC
                      Name:         data.json
                    """, SifListing.info(image, 1));
            assertEquals("""
                    Version:            01
                    Created At:         2020-06-30 00:01:56 +0000 UTC
                    Modified At:        2020-06-30 00:01:56 +0000 UTC
                    Descriptors Free:   47
                    Descriptors Total:  48
                    Descriptors Offset: 4096
                    Descriptors Size:   27 KiB
                    Data Offset:        32176
                    Data Size:          2 B
                    """, SifListing.header(image));
        }
    }

    @Test
    void headerGoldens() {
        String table = """
                Descriptors Offset: 4096
                Descriptors Size:   27 KiB
                Data Offset:        32176
                """;
        assertEquals(
                "Version:            01\nDescriptors Free:   48\nDescriptors Total:  48\n" + table
                        + "Data Size:          0 B\n",
                header(Fixtures.EMPTY));
        assertEquals(
                "Launch Script:      #!/usr/bin/env run-script\nVersion:            01\n"
                        + "Descriptors Free:   48\nDescriptors Total:  48\n" + table + "Data Size:          0 B\n",
                header(Fixtures.EMPTY_LAUNCH_SCRIPT));
        assertEquals(
                "Version:            01\nDescriptors Free:   47\nDescriptors Total:  48\n" + table
                        + "Data Size:          2 B\n",
                header(Fixtures.GENERIC_JSON));
        assertEquals(
                "Version:            01\nDescriptors Free:   47\nDescriptors Total:  48\n" + table
                        + "Data Size:          847 B\n",
                header(Fixtures.OCI_BLOB));
        assertEquals(
                "Version:            01\nDescriptors Free:   47\nDescriptors Total:  48\n" + table
                        + "Data Size:          706 B\n",
                header(Fixtures.OCI_ROOT_INDEX));
        assertEquals(
                "Version:            01\nDescriptors Free:   47\nDescriptors Total:  48\n" + table
                        + "Data Size:          454 B\n",
                header(Fixtures.SBOM));
        assertEquals("""
                Version:              01
                Primary Architecture: 386
                Descriptors Free:     46
                Descriptors Total:    48
                Descriptors Offset:   4096
                Descriptors Size:     27 KiB
                Data Offset:          32176
                Data Size:            9 KiB
                """, header(Fixtures.ONE_GROUP));
        assertEquals("""
                Version:              01
                Primary Architecture: 386
                Descriptors Free:     45
                Descriptors Total:    48
                Descriptors Offset:   4096
                Descriptors Size:     27 KiB
                Data Offset:          32176
                Data Size:            265 KiB
                """, header(Fixtures.TWO_GROUPS));
        assertEquals("""
                Version:              01
                Primary Architecture: 386
                Descriptors Free:     45
                Descriptors Total:    48
                Descriptors Offset:   4096
                Descriptors Size:     27 KiB
                Data Offset:          32176
                Data Size:            10 KiB
                """, header(Fixtures.SIGNED_PGP));
    }

    @Test
    void headerOfImagesWithIdAndTimes() {
        assertEquals("""
                Launch Script:        #!/usr/bin/env run-singularity
                Version:              01
                Primary Architecture: amd64
                ID:                   4f307b4c-58a8-4753-9c0f-21dceefed4a6
                Created At:           2021-08-02 19:09:36 +0000 UTC
                Modified At:          2021-08-02 19:09:36 +0000 UTC
                Descriptors Free:     43
                Descriptors Total:    48
                Descriptors Offset:   4096
                Descriptors Size:     27 KiB
                Data Offset:          32768
                Data Size:            742 KiB
                """, header(Fixtures.BUSYBOX));
        assertEquals("""
                Version:            01
                Descriptors Free:   0
                Descriptors Total:  4
                Descriptors Offset: 4096
                Descriptors Size:   2 KiB
                Data Offset:        6436
                Data Size:          5 KiB
                """, header(Fixtures.DOCKER_MANIFEST));
    }

    @Test
    void unknownValuesAreShownAsUnknown(@TempDir Path dir) {
        // A partition whose metadata codes no known tool wrote, and a data type from the future.
        Path sif = dir.resolve("odd.sif");
        try (SifWriter w = SifWriter.create(sif, SifCreateOptions.deterministic())) {
            w.add(SifObjectInput.of(SifDataType.GENERIC, new byte[] {1}));
        }
        byte[] data = TestBytes.read(sif);
        int slot = 4096;
        TestBytes.putInt(data, slot, 0x4999);
        try (SifImage image = MemoryByteSource.open(data, "odd.sif")) {
            assertEquals(SifDataType.UNKNOWN, image.requireDescriptor(1).dataType());
            assertEquals(0x4999, image.requireDescriptor(1).dataTypeCode());
            assertTrue(SifListing.list(image).endsWith("|Unknown\n"), SifListing.list(image));
        }
        TestBytes.putInt(data, slot, SifDataType.PARTITION.code());
        TestBytes.putInt(data, slot + 201, 77);
        TestBytes.putInt(data, slot + 205, 88);
        data[slot + 209] = '9';
        data[slot + 210] = '9';
        try (SifImage image = MemoryByteSource.open(data, "odd.sif")) {
            assertTrue(SifListing.list(image).endsWith("|FS (Unknown/Unknown/unknown)\n"), SifListing.list(image));
            assertTrue(SifListing.info(image, 1).endsWith("""
                      Filesystem Type:  Unknown
                      Partition Type:   Unknown
                      Architecture:     unknown
                    """));
            assertTrue(image.primaryPartition().isEmpty());
        }
    }

    @Test
    void controlCharactersFromTheImageAreEscaped(@TempDir Path dir) {
        Path sif = dir.resolve("evil.sif");
        try (SifWriter w =
                SifWriter.create(sif, SifCreateOptions.deterministic().withLaunchScript("#!/x\u001b]0;\n"))) {
            w.add(SifObjectInput.of(SifDataType.GENERIC, new byte[1]).name("a\u001b[31m\nb\u2028c\u00e9"));
        }
        try (SifImage image = SifImage.open(sif)) {
            assertTrue(
                    SifListing.info(image, 1).endsWith("  Name:       a\\x1b[31m\\x0ab\\u2028c\u00e9\n"),
                    SifListing.info(image, 1));
            assertTrue(
                    SifListing.header(image).startsWith("Launch Script:      #!/x\\x1b]0;\n"),
                    SifListing.header(image));
        }
    }

    @Test
    void infoOfAMissingObjectIsAnError() {
        SifException e = assertThrows(SifException.class, () -> info(Fixtures.ONE_GROUP, 3));
        assertTrue(e.getMessage().endsWith("one-group.sif: no object with ID 3"), e.getMessage());
    }

    @Test
    void readableSizes() {
        assertEquals("0 B", SifListing.readableSize(0));
        assertEquals("1023 B", SifListing.readableSize(1023));
        assertEquals("1 KiB", SifListing.readableSize(1024));
        assertEquals("27 KiB", SifListing.readableSize(28080));
        assertEquals("9 KiB", SifListing.readableSize(8784));
        assertEquals("1024 KiB", SifListing.readableSize(1024 * 1024 - 1));
        assertEquals("1 MiB", SifListing.readableSize(1024 * 1024));
        assertEquals("8 EiB", SifListing.readableSize(Long.MAX_VALUE));
    }

    @Test
    void headerWithANonNilIdButNoTimes(@TempDir Path dir) {
        Path sif = dir.resolve("id.sif");
        UUID id = UUID.fromString("3fa802cc-358b-45e3-bcc0-69dc7a45f9f8");
        try (SifWriter w =
                SifWriter.create(sif, SifCreateOptions.deterministic().withId(id))) {
            assertFalse(w.header().isDeterministic());
        }
        try (SifImage image = SifImage.open(sif)) {
            // Golden TestApp_Header/EmptyID.
            assertEquals("""
                    Version:            01
                    ID:                 3fa802cc-358b-45e3-bcc0-69dc7a45f9f8
                    Descriptors Free:   48
                    Descriptors Total:  48
                    Descriptors Offset: 4096
                    Descriptors Size:   27 KiB
                    Data Offset:        32176
                    Data Size:          0 B
                    """, SifListing.header(image));
        }
    }
}
