package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;

/** The loop size limit: the extent rounded up to squashfs's 1 KiB device blocks, if the file has those bytes. */
class SquashfsExtentTest {
    @Test
    void alignedSizesAreKept() {
        // busybox_amd64.sif's primary partition
        assertEquals(745472, new SquashfsExtent(45056, 745472, "p").loopSizeLimit("i", 792293));
        assertEquals(4096, new SquashfsExtent(32176, 4096, "layer").loopSizeLimit("i", 40000));
    }

    @Test
    void unalignedSizesAreRoundedUpIntoTheFollowingBytes() {
        assertEquals(2048, new SquashfsExtent(6436, 1025, "p").loopSizeLimit("i", 6436 + 2048));
        assertEquals(1024, new SquashfsExtent(100, 1, "p").loopSizeLimit("i", 100 + 1024));
    }

    @Test
    void aTailTheFileCannotCoverIsRefusedWithTheFuseAlternative() {
        JruncException e = assertThrows(
                JruncException.class,
                () -> new SquashfsExtent(6436, 1500, "layer 0 (sha256:ab)").loopSizeLimit("img.sif", 6436 + 1500));
        assertEquals(
                "img.sif: layer 0 (sha256:ab) (1500 bytes at offset 6436) is not followed by enough bytes to"
                        + " fill its last 1 KiB block, which a loop device needs to expose it to squashfs; mount it with"
                        + " --squashfuse",
                e.getMessage());
    }

    @Test
    void roundUp() {
        assertEquals(0, SquashfsExtent.roundUp(0, 1024));
        assertEquals(1024, SquashfsExtent.roundUp(1024, 1024));
        assertEquals(2048, SquashfsExtent.roundUp(1025, 1024));
    }
}
