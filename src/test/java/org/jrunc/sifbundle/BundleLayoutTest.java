package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleLayoutTest {
    @TempDir
    Path tmp;

    @Test
    void singularityNamesVolumeDirectories() {
        assertEquals(Path.of("volumes/_var_lib_mysql"), BundleLayout.volume("/var/lib/mysql"));
        assertEquals(Path.of("layers/2"), BundleLayout.layer(2));
    }

    @Test
    void pathsThatMountOptionsCannotCarryAreRefused() {
        for (String bad : new String[] {"/tmp/a,b", "/tmp/a:b", "/tmp/a\\b", "/tmp/a\nb"}) {
            JruncException e = assertThrows(
                    JruncException.class, () -> new BundleLayout(Path.of(bad)).checkUsableInMountOptions());
            assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        }
        new BundleLayout(Path.of("/tmp/a b")).checkUsableInMountOptions();
    }

    @Test
    void symlinksInTheBundlePathAreResolved() throws Exception {
        Path real = Files.createDirectory(tmp.resolve("real"));
        Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
        assertEquals(real.toRealPath(), BundleLayout.of(link).bundle());
        assertEquals(
                real.toRealPath().resolve("new"),
                BundleLayout.of(link.resolve("new")).bundle());
        JruncException e = assertThrows(JruncException.class, () -> BundleLayout.of(tmp.resolve("no/such")));
        assertEquals(
                "cannot create " + tmp.resolve("no/such") + ": its parent directory does not exist", e.getMessage());
    }
}
