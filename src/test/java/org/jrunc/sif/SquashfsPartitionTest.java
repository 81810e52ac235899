package org.jrunc.sif;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Partitions written and read by the library are real squashfs images for squashfs-tools, in place or extracted. */
class SquashfsPartitionTest {
    @TempDir
    Path dir;

    @Test
    void writtenPartitionExtractsToTheSameSquashfs() throws Exception {
        Path sif = dir.resolve("rootfs.sif");
        try (SifWriter w = SifWriter.create(
                sif, SifCreateOptions.defaults().withLaunchScript(SifCreateOptions.SINGULARITY_LAUNCH_SCRIPT))) {
            w.add(SifObjectInput.of(SifDataType.DEFFILE, OciLayouts.utf8("Bootstrap: scratch\n")));
            w.add(SifObjectInput.partition(
                    Fixtures.path(Fixtures.ROOT_SQUASHFS),
                    FsType.SQUASHFS,
                    PartitionType.PRIMARY_SYSTEM,
                    SifArch.AMD64));
        }
        Path extracted = dir.resolve("extracted.squashfs");
        long offset;
        try (SifImage image = SifImage.open(sif);
                OutputStream out = Files.newOutputStream(extracted)) {
            SifDescriptor root = image.primaryPartition().orElseThrow();
            offset = root.offset();
            assertEquals(32768, offset, "the def file ends at 32195; partitions are 4096-aligned");
            image.copyObject(root.id(), out);
        }
        assertArrayEquals(Fixtures.bytes(Fixtures.ROOT_SQUASHFS), Files.readAllBytes(extracted));
        String expected = Unsquashfs.run(Fixtures.path(Fixtures.ROOT_SQUASHFS), 0, "-l");
        assertTrue(expected.contains("squashfs-root/hello.txt"), expected);
        assertEquals(expected, Unsquashfs.run(extracted, 0, "-l"));
        assertEquals(expected, Unsquashfs.run(sif, offset, "-l"), "mountable in place at its offset");
        assertEquals("Hello from Sylabs!\n", Unsquashfs.cat(sif, offset, "hello.txt"));
    }

    @Test
    void busyboxRootfsListsInPlace() throws Exception {
        Path sif = Fixtures.path(Fixtures.BUSYBOX);
        long offset;
        try (SifImage image = SifImage.open(sif)) {
            offset = image.primaryPartition().orElseThrow().offset();
        }
        String listing = Unsquashfs.run(sif, offset, "-l");
        assertEquals(
                454,
                listing.lines().filter(l -> l.startsWith("squashfs-root")).count(),
                "the root plus the 453 entries of the busybox image");
        assertTrue(listing.contains("squashfs-root/bin/busybox\n"));
        assertTrue(listing.contains("squashfs-root/.singularity.d/runscript\n"));
    }
}
