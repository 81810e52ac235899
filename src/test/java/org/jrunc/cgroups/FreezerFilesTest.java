package org.jrunc.cgroups;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreezerFilesTest {
    @TempDir
    Path dir;

    @Test
    void returnsOnceALineMatches() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(dir, "");
        t.write("c/cgroup.events", "populated 1\nfrozen 1\n");
        FreezerFiles.await(t, dir.resolve("c/cgroup.events"), "frozen 1");
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void anInterruptEndsTheWaitWithoutAnErrorAndKeepsTheFlag() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(dir, "");
        t.write("c/cgroup.events", "populated 1\nfrozen 0\n");
        Thread.currentThread().interrupt();
        FreezerFiles.await(t, dir.resolve("c/cgroup.events"), "frozen 1");
        assertTrue(Thread.interrupted());
    }

    @Test
    void anUnreadableFileIsAnError() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(dir, "");
        JruncException e = assertThrows(
                JruncException.class, () -> FreezerFiles.await(t, dir.resolve("c/cgroup.events"), "frozen 1"));
        assertTrue(e.getMessage().startsWith("cannot read "), e.getMessage());
    }

    @Test
    void givesUpAfterAboutASecond() {
        FakeCgroupTree t = FakeCgroupTree.pureV2(dir, "");
        t.write("c/freezer.state", "FREEZING\n");
        JruncException e = assertThrows(
                JruncException.class, () -> FreezerFiles.await(t, dir.resolve("c/freezer.state"), "FROZEN"));
        assertTrue(e.getMessage().contains("did not freeze in time"), e.getMessage());
    }
}
