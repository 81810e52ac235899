package org.jrunc.spectest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.jrunc.sif.OciSif;
import org.jrunc.sif.SifImage;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.SpecTest;
import org.jrunc.spectest.UnprivilegedUser;
import org.junit.jupiter.api.Test;

/**
 * `jrunc pull` as an unprivileged user: the cache is the user's own (~/.cache/jrunc), owners in the layers stay as
 * they are in the squashfs (no privilege is needed to record them), and a device node is refused, naming it.
 */
class RootlessPullTest extends SpecTest {
    @Test
    void anUnprivilegedUserPullsIntoItsOwnCacheAndCannotPullADevice() throws Exception {
        UnprivilegedUser user = UnprivilegedUser.get();
        // JUnit's directory is root's (0700): the user passes through it into a directory of its own
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwx--x--x"));
        Path home = user.own(Files.createDirectory(tmp.resolve("user")));
        Path cache = user.home.resolve(".cache/jrunc");
        Jrunc.raw(List.of("rm", "-rf", cache.toString()), java.util.Map.of(), null, 60);
        try {
            OciLayout layout = TestImages.writeLayout(
                    home.resolve("layout"),
                    "v1",
                    Image.of(Layer.of(
                            LayerCompression.GZIP,
                            LayerEntry.directory("etc"),
                            LayerEntry.file("etc/owned", "owned\n").withOwner(4321, 8765))));
            user.own(home.resolve("layout"));
            Path dest = home.resolve("owned.oci.sif");
            user.jrunc("pull", layout.transportReference(), dest.toString()).ok();
            try (var sifs = Files.list(cache.resolve("oci-sif/sha256"))) {
                assertEquals(1, sifs.count(), "the OCI-SIF is in the user's cache");
            }
            long offset;
            try (SifImage image = SifImage.open(dest)) {
                offset = OciSif.of(image).singleImage().layers().get(0).offset();
            }
            Path tree = TreeComparison.unsquash(dest, offset, tmp.resolve("tree"));
            assertEquals(4321, Files.getAttribute(tree.resolve("etc/owned"), "unix:uid"));
            assertEquals(8765, Files.getAttribute(tree.resolve("etc/owned"), "unix:gid"));

            OciLayout device = TestImages.writeLayout(
                    home.resolve("device"),
                    "v1",
                    Image.of(Layer.of(
                            LayerCompression.GZIP, LayerEntry.directory("dev"), LayerEntry.nullDevice("dev/null"))));
            user.own(home.resolve("device"));
            Path refusedDest = home.resolve("device.oci.sif");
            Jrunc.Result refused = user.jrunc("pull", device.transportReference(), refusedDest.toString());
            refused.fails();
            assertTrue(refused.err().contains("entry \\\"dev/null\\\""), refused.err());
            assertTrue(refused.err().contains("device"), refused.err());
            assertFalse(Files.exists(refusedDest));
            // as root the same image is pulled: the refusal is about privilege, not about the layer
            jrunc.exec(
                            java.util.Map.of(
                                    "JRUNC_CACHEDIR", tmp.resolve("root-cache").toString()),
                            null,
                            "pull",
                            device.transportReference(),
                            tmp.resolve("root-device.oci.sif").toString())
                    .ok();
        } finally {
            Jrunc.raw(List.of("rm", "-rf", cache.toString()), java.util.Map.of(), null, 60);
        }
    }
}
