package org.jrunc.namespaces;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** /etc/subuid and /etc/subgid as shadow-utils' newuidmap reads them. */
class SubordinateIdsTest {
    private static final Path FILE = Path.of("/etc/subuid");
    private static final String TEXT = "alice:100000:65536\n"
            + "bob:165536:65536\n"
            + "1001:300000:10\n"
            + "alice:300010:5\n"
            + "alice:notanumber:5\n"
            + "alice:400000\n"
            + "\n"
            + "carol:500000:0\n";

    @Test
    void theUsersLinesByNameAndByNumber() {
        SubordinateIds alice = SubordinateIds.parse(FILE, TEXT, "alice", 1001);
        assertEquals(
                List.of(
                        new SubordinateIds.Range(100000, 65536),
                        new SubordinateIds.Range(300000, 10),
                        new SubordinateIds.Range(300010, 5)),
                alice.ranges());
        assertEquals("100000-165535, 300000-300009, 300010-300014 in /etc/subuid for alice (1001)", alice.describe());
        assertEquals(List.of(), SubordinateIds.parse(FILE, TEXT, "carol", 1003).ranges(), "a count of 0 is none");
        assertEquals(
                "none in /etc/subuid for dave (1004)",
                SubordinateIds.parse(FILE, TEXT, "dave", 1004).describe());
    }

    @Test
    void aMappingMustLieWithinTheRangesAdjacentOnesJoined() {
        SubordinateIds alice = SubordinateIds.parse(FILE, TEXT, "alice", 1001);
        assertTrue(alice.covers(100000, 65536));
        assertTrue(alice.covers(100001, 10));
        assertTrue(alice.covers(300000, 15), "300000-300009 and 300010-300014 are adjacent");
        assertFalse(alice.covers(100000, 65537), "one past the end");
        assertFalse(alice.covers(99999, 2), "one before the start");
        assertFalse(alice.covers(165536, 1), "bob's");
        assertFalse(alice.covers(300000, 16));
        assertFalse(alice.covers(100000, 0), "an empty range");
    }

    @Test
    void aMissingFileGivesNoRanges(@TempDir Path tmp) throws Exception {
        assertEquals(
                List.of(),
                SubordinateIds.read(tmp.resolve("subuid"), "alice", 1001).ranges());
        Path f = Files.writeString(tmp.resolve("subgid"), "alice:200000:100\n");
        assertTrue(SubordinateIds.read(f, "alice", 1001).covers(200000, 100));
    }
}
