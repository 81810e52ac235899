package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.sys.LinuxSyscalls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the image's files through openat2(RESOLVE_IN_ROOT): symlinks cannot lead out of the image. */
class MountedRootfsFilesTest {
    @TempDir
    Path tmp;

    @Test
    void filesAreReadInsideTheRoot() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("root"));
        Files.createDirectories(root.resolve("etc"));
        Files.createDirectories(root.resolve("real"));
        Files.writeString(root.resolve("real/passwd"), "app:x:1:1::/:/bin/sh\n");
        Files.writeString(tmp.resolve("host-group"), "host:x:0:\n");
        // absolute symlinks: one meant inside the image, one that would leave it on the host
        Files.createSymbolicLink(root.resolve("etc/passwd"), Path.of("/real/passwd"));
        Files.createSymbolicLink(root.resolve("etc/group"), Path.of("/../host-group"));
        MountedRootfsFiles files = new MountedRootfsFiles(LinuxSyscalls.get(), root);
        assertEquals(Optional.of("app:x:1:1::/:/bin/sh\n"), files.read("/etc/passwd", 1024));
        assertEquals(Optional.empty(), files.read("/etc/group", 1024), "resolved as /host-group inside the root");
        assertTrue(files.exists("/real"));
        assertFalse(files.exists("/.singularity.d/actions/run"));
        JruncException e = assertThrows(JruncException.class, () -> files.read("/etc/passwd", 4));
        assertEquals(root + ": /etc/passwd in the image is larger than 4 bytes", e.getMessage());
    }
}
