package org.jrunc.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpawnFdTableTest {
    private static final List<String> ROOTS = List.of("/usr/lib/jvm/jdk", "/opt/jrunc/target");
    private static final int[] KEEP = {7, 12};

    @Test
    void stdioAndPassedDescriptorsStay() {
        assertEquals(SpawnFdTable.Fate.KEEP, SpawnFdTable.fate(1, "/dev/pts/0", KEEP, ROOTS));
        assertEquals(SpawnFdTable.Fate.KEEP, SpawnFdTable.fate(12, "/etc/shadow", KEEP, ROOTS));
    }

    @Test
    void theRuntimesOwnFilesAreReopenedReadOnly() {
        assertEquals(
                SpawnFdTable.Fate.REOPEN_READ_ONLY, SpawnFdTable.fate(3, "/opt/jrunc/target/jrunc.jar", KEEP, ROOTS));
        assertEquals(
                SpawnFdTable.Fate.REOPEN_READ_ONLY, SpawnFdTable.fate(4, "/usr/lib/jvm/jdk/lib/modules", KEEP, ROOTS));
    }

    @Test
    void everythingElseIsClosed() {
        // a sibling directory sharing the prefix, a host directory, a socket and a replaced jar
        for (String target : new String[] {
            "/opt/jrunc/target-old/jrunc.jar",
            "/sys/fs/cgroup",
            "socket:[4242]",
            "/opt/jrunc/target/jrunc.jar (deleted)",
            "/opt/jrunc/target"
        }) {
            assertEquals(SpawnFdTable.Fate.CLOSE, SpawnFdTable.fate(5, target, KEEP, ROOTS), target);
        }
    }
}
