package org.jrunc.sif;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Truncated and bit-flipped copies of real images. Whatever the damage, every operation either works or throws a
 * {@link SifException} whose message is one line naming the file: never another exception type, never a hang (each
 * case has a timeout), never a read past the end of the data ({@link MemoryByteSource} fails the test if asked to).
 */
class SifFuzzTest {
    private static final long SEED = 0x51F_F022L;
    private static final Duration CASE_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> TARGETS = List.of(
            Fixtures.ONE_GROUP,
            Fixtures.SIGNED_PGP,
            Fixtures.SBOM,
            Fixtures.GENERIC_JSON,
            Fixtures.DOCKER_MANIFEST,
            Fixtures.DOCKER_MANIFEST_LIST,
            Fixtures.EMPTY_OCI,
            Fixtures.TWO_GROUPS,
            Fixtures.BUSYBOX);
    private static final long[] EXTREMES = {
        0,
        1,
        -1,
        4095,
        4096,
        32176,
        Long.MIN_VALUE,
        Long.MAX_VALUE,
        Long.MAX_VALUE - 4095,
        1L << 31,
        1L << 32,
        1L << 62,
        Integer.MAX_VALUE,
        585,
        585 * 48
    };

    @TempDir
    Path dir;

    /** Tallies of a run, to check the fuzzing reached both outcomes. */
    private static final class Outcomes {
        int opened;
        int rejected;
    }

    @Test
    void truncatedCopies() {
        Outcomes outcomes = new Outcomes();
        for (String target : TARGETS) {
            byte[] data = Fixtures.bytes(target);
            for (int length : truncationLengths(target, data)) {
                byte[] prefix = Arrays.copyOf(data, length);
                runCase(prefix, target + " truncated to " + length, outcomes);
            }
        }
        assertTrue(outcomes.rejected > 1000, "rejected " + outcomes.rejected);
        assertTrue(outcomes.opened > 0, "a truncation past the last object still opens");
    }

    @Test
    void singleBitFlipsConcentratedOnMetadata() {
        Random random = new Random(SEED);
        Outcomes outcomes = new Outcomes();
        for (String target : TARGETS) {
            byte[] data = Fixtures.bytes(target);
            int tableEnd = metadataEnd(data);
            int flips = data.length > 500_000 ? 400 : 1500;
            for (int i = 0; i < flips; i++) {
                int position = pick(random, data.length, tableEnd);
                int bit = random.nextInt(8);
                byte[] copy = data.clone();
                copy[position] ^= (byte) (1 << bit);
                runCase(copy, target + " bit " + bit + " of byte " + position + " flipped", outcomes);
            }
        }
        assertTrue(
                outcomes.opened > 1000 && outcomes.rejected > 1000,
                "opened " + outcomes.opened + ", rejected " + outcomes.rejected);
    }

    @Test
    void extremeValuesInEveryNumericField() {
        Outcomes outcomes = new Outcomes();
        for (String target : List.of(Fixtures.ONE_GROUP, Fixtures.DOCKER_MANIFEST, Fixtures.SIGNED_DSSE)) {
            byte[] data = Fixtures.bytes(target);
            List<int[]> fields = new ArrayList<>();
            for (int at = 64; at < 128; at += 8) {
                fields.add(new int[] {at, 8});
            }
            for (int slot = 0; slot < 3; slot++) {
                int base = 4096 + slot * 585;
                for (int at : new int[] {0, 5, 9, 13}) {
                    fields.add(new int[] {base + at, 4});
                }
                for (int at = 17; at < 73; at += 8) {
                    fields.add(new int[] {base + at, 8});
                }
                fields.add(new int[] {base + 201, 4});
                fields.add(new int[] {base + 205, 4});
            }
            for (int[] field : fields) {
                for (long value : EXTREMES) {
                    byte[] copy = data.clone();
                    if (field[1] == 8) {
                        TestBytes.putLong(copy, field[0], value);
                    } else {
                        TestBytes.putInt(copy, field[0], (int) value);
                    }
                    runCase(copy, target + " field at " + field[0] + " set to " + value, outcomes);
                }
            }
        }
        assertTrue(
                outcomes.opened > 100 && outcomes.rejected > 100,
                "opened " + outcomes.opened + ", rejected " + outcomes.rejected);
    }

    /** Damaged files on disk, through FileChannel, and the writer: an accepted image stays valid after an add. */
    @Test
    void damagedFilesOnDiskAndTheWriter() {
        Random random = new Random(SEED + 1);
        int added = 0;
        for (String target : List.of(Fixtures.ONE_GROUP, Fixtures.SIGNED_PGP, Fixtures.DOCKER_MANIFEST)) {
            byte[] data = Fixtures.bytes(target);
            for (int i = 0; i < 150; i++) {
                byte[] copy = data.clone();
                if (i % 3 == 0) {
                    copy = Arrays.copyOf(copy, random.nextInt(copy.length + 1));
                } else {
                    int position = pick(random, copy.length, metadataEnd(data));
                    copy[position] ^= (byte) (1 << random.nextInt(8));
                }
                Path file = dir.resolve("case-" + i + ".sif");
                TestBytes.write(file, copy);
                String what = target + " case " + i;
                added += assertTimeoutPreemptively(CASE_TIMEOUT, () -> addAndReopen(file, what), what);
            }
        }
        assertTrue(added > 50, "added to " + added + " damaged images");
    }

    private static int addAndReopen(Path file, String what) {
        try (SifImage image = SifImage.open(file)) {
            exercise(image);
        } catch (SifException e) {
            assertOneLine(e, file.toString(), what);
            return 0;
        }
        try (SifWriter w = SifWriter.open(file)) {
            w.add(SifObjectInput.of(SifDataType.GENERIC, new byte[] {1, 2, 3}));
        } catch (SifException e) {
            assertOneLine(e, file.toString(), what); // e.g. no free slot
            return 0;
        }
        try (SifImage image = SifImage.open(file)) {
            SifDescriptor last = image.descriptors().stream()
                    .filter(d -> d.dataType() == SifDataType.GENERIC)
                    .reduce((a, b) -> b)
                    .orElseThrow();
            assertArrayEquals(new byte[] {1, 2, 3}, image.readBytes(last, 3), what);
        }
        return 1;
    }

    private static void runCase(byte[] data, String what, Outcomes outcomes) {
        boolean opened = assertTimeoutPreemptively(
                CASE_TIMEOUT,
                () -> {
                    SifImage image;
                    try {
                        image = SifImage.open(new MemoryByteSource(data), "fuzz.sif");
                    } catch (SifException e) {
                        assertOneLine(e, "fuzz.sif", what);
                        return false;
                    } catch (RuntimeException e) {
                        throw new AssertionError(what + ": open threw " + e, e);
                    }
                    try (image) {
                        exercise(image);
                    } catch (RuntimeException e) {
                        throw new AssertionError(what + ": threw " + e, e);
                    }
                    return true;
                },
                what);
        if (opened) {
            outcomes.opened++;
        } else {
            outcomes.rejected++;
        }
    }

    /** Everything a caller may do with an opened image; each step may fail only with a one-line SifException. */
    private static void exercise(SifImage image) {
        List<Runnable> steps = new ArrayList<>();
        steps.add(() -> SifListing.list(image));
        steps.add(() -> SifListing.header(image));
        steps.add(image::primaryPartition);
        for (SifDescriptor d : image.descriptors()) {
            steps.add(() -> SifListing.info(image, d.id()));
            steps.add(() -> image.copyObject(d, OutputStream.nullOutputStream()));
            steps.add(() -> image.isSquashfs(d));
        }
        if (image.isOciSif()) {
            steps.add(() -> {
                OciSif oci = OciSif.of(image);
                oci.images().forEach(img -> img.layers().forEach(l -> oci.verify(l.object())));
            });
            steps.add(() -> OciSif.of(image).verifyAll());
        }
        for (Runnable step : steps) {
            try {
                step.run();
            } catch (SifException e) {
                assertOneLine(e, image.file(), "step");
            }
        }
    }

    private static void assertOneLine(SifException e, String file, String what) {
        String m = e.getMessage();
        assertNotNull(m, what);
        assertFalse(m.contains("\n") || m.contains("\r"), what + ": multi-line message: " + m);
        assertTrue(m.startsWith(file + ": ") && m.length() > file.length() + 2, what + ": message " + m);
    }

    /** Every 97th length (every 4099th for large files), plus every length around each structure boundary. */
    private static TreeSet<Integer> truncationLengths(String target, byte[] data) {
        TreeSet<Integer> lengths = new TreeSet<>();
        int stride = data.length > 500_000 ? 4099 : 97;
        for (int n = 0; n <= data.length; n += stride) {
            lengths.add(n);
        }
        List<Long> boundaries = new ArrayList<>(List.of(0L, 128L, (long) data.length));
        try (SifImage image = SifImage.open(Fixtures.path(target))) {
            SifHeader h = image.header();
            for (long slot = 0; slot <= h.descriptorsTotal(); slot++) {
                boundaries.add(h.descriptorsOffset() + slot * 585);
            }
            boundaries.add(h.dataOffset());
            boundaries.add(h.dataOffset() + h.dataSize());
            for (SifDescriptor d : image.descriptors()) {
                boundaries.add(d.offset());
                boundaries.add(d.end());
            }
        }
        for (long b : boundaries) {
            for (long n = b - 3; n <= b + 3; n++) {
                if (n >= 0 && n <= data.length) {
                    lengths.add((int) n);
                }
            }
        }
        for (int n = 0; n <= Math.min(140, data.length); n++) {
            lengths.add(n);
        }
        return lengths;
    }

    /** End of the used part of the descriptor table (metadata that most flips should hit). */
    private static int metadataEnd(byte[] data) {
        long offset = TestBytes.getLong(data, 96);
        long used = TestBytes.getLong(data, 88) - TestBytes.getLong(data, 80);
        return (int) Math.min(data.length, offset + Math.max(1, used) * 585);
    }

    /** 60% header, 30% used descriptors, 10% anywhere. */
    private static int pick(Random random, int length, int metadataEnd) {
        int roll = random.nextInt(10);
        if (roll < 6) {
            return random.nextInt(128);
        }
        if (roll < 9 && metadataEnd > 4096) {
            return 4096 + random.nextInt(metadataEnd - 4096);
        }
        return random.nextInt(length);
    }
}
