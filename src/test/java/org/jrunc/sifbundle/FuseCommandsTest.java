package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FuseCommandsTest {
    @TempDir
    Path tmp;

    /** fails on fbadc0c: a missing /dev/fuse was found only by squashfuse, after mount had made directories. */
    @Test
    void aMissingFuseDeviceIsReportedBeforeAnythingIsMade() {
        Path device = tmp.resolve("fuse");
        JruncException e = assertThrows(JruncException.class, () -> new FuseCommands(device).check());
        assertEquals(
                device + " does not exist; squashfuse and fuse-overlayfs need it (load the fuse kernel module)",
                e.getMessage());
    }
}
