package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SubordinateRangeTest {
    @TempDir
    Path tmp;

    @Test
    void theUsersFirstLineByNameOrUidCounts() throws IOException {
        Path file = Files.writeString(
                tmp.resolve("subuid"),
                "other:100000:65536\n\nbroken:x:1\nalice:bad:1\n1001:165536:1000\nalice:300000:65536\n");
        assertEquals(
                Optional.of(new SubordinateRange(file, 165536, 1000)), SubordinateRange.first(file, "alice", 1001));
        assertEquals(
                Optional.of(new SubordinateRange(file, 300000, 65536)), SubordinateRange.first(file, "alice", 1002));
        assertEquals(Optional.empty(), SubordinateRange.first(file, "bob", 1003));
        assertEquals(Optional.empty(), SubordinateRange.first(tmp.resolve("missing"), "alice", 1001));
        assertEquals(file + " 300000:65536", new SubordinateRange(file, 300000, 65536).toString());
    }
}
