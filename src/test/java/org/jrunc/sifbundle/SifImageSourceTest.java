package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sif.FsType;
import org.jrunc.sif.HostArch;
import org.jrunc.sif.OciSifWriter;
import org.jrunc.sif.SifArch;
import org.jrunc.sif.SifImage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What mount accepts and refuses, decided from the image alone, before anything is created. */
class SifImageSourceTest {
    @TempDir
    Path tmp;

    static Path fixture(String relative) {
        Path p = Path.of(System.getProperty("jrunc.fixtures", "/work/shared/fixtures/sif"))
                .resolve(relative);
        assumeTrue(Files.exists(p), "fixture not available: " + p);
        return p;
    }

    private static String refused(Path image) {
        String m = assertThrows(JruncException.class, () -> SifImageSource.read(image))
                .getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    @Test
    void singularityBusybox() {
        MountableImage image = SifImageSource.read(fixture("sylabs-singularity/busybox_amd64.sif"));
        assertEquals(List.of(new SquashfsExtent(45056, 745472, "object 4 (primary system partition)")), image.layers());
        assertEquals(792293, image.fileSize());
        assertEquals(List.of("sh"), image.config().cmd());
        assertTrue(image.config().env().get(0).startsWith("PATH="));
        assertTrue(image.configSource().endsWith("busybox_amd64.sif: object 3 (oci-config.json)"));
    }

    @Test
    void withoutOciConfigTheConfigIsEmpty() {
        Path image =
                TestImages.nativeSif(tmp.resolve("plain.sif"), FsType.SQUASHFS, TestImages.fakeSquashfs(4096), null);
        assertEquals(ImageConfig.EMPTY, SifImageSource.read(image).config());
    }

    @Test
    void aPrimaryPartitionThatIsNotSquashfsIsRefusedByType() {
        Path image = TestImages.nativeSif(tmp.resolve("ext3.sif"), FsType.EXT3, new byte[8192], null);
        assertEquals(
                image + ": object 1 (primary system partition) is Ext3 (fs type 2); only a squashfs root"
                        + " filesystem can be mounted",
                refused(image));
    }

    @Test
    void aSquashfsPartitionWithoutTheMagicIsRefused() {
        Path image = fixture("sylabs-singularity/one-group-singularity.sif");
        assertTrue(refused(image)
                .endsWith("object 2 (primary system partition) is marked squashfs but does not start"
                        + " with the squashfs magic \"hsqs\""));
    }

    @Test
    void noPrimaryPartition() {
        Path image = fixture("sylabs-sif/empty.sif");
        assertEquals(image + ": no primary system partition (PrimSys) to use as the root filesystem", refused(image));
    }

    @Test
    void aBrokenOciConfigIsNamed() {
        Path image = TestImages.nativeSif(
                tmp.resolve("cfg.sif"), FsType.SQUASHFS, TestImages.fakeSquashfs(4096), "{\"Cmd\":\"sh\"}");
        assertEquals(image + ": object 1 (oci-config.json): Cmd is not an array of strings", refused(image));
        Path notJson = TestImages.nativeSif(
                tmp.resolve("nojson.sif"), FsType.SQUASHFS, TestImages.fakeSquashfs(4096), "{\"Cmd\":");
        assertTrue(refused(notJson).startsWith(notJson + ": object 1 (oci-config.json): invalid JSON: "));
    }

    @Test
    void ociSifSquashfsLayersAreMountedInPlaceAtTheirUnalignedOffsets() {
        Path image = TestImages.ociSif(
                tmp.resolve("oci.sif"),
                "{\"Entrypoint\":[\"/app\"],\"WorkingDir\":\"/w\"}",
                TestImages.Layer.squashfs(TestImages.fakeSquashfs(5000)),
                TestImages.Layer.squashfs(TestImages.fakeSquashfs(4096)));
        MountableImage m = SifImageSource.read(image);
        try (SifImage sif = SifImage.open(image)) {
            assertEquals(sif.descriptors().get(0).offset(), m.layers().get(0).offset());
            assertEquals(5000, m.layers().get(0).size());
            assertEquals(sif.descriptors().get(1).offset(), m.layers().get(1).offset());
        }
        assertTrue(m.layers().get(0).offset() % 512 != 0, "oci-tools layout: blobs are not aligned");
        assertTrue(m.layers().get(1).what().startsWith("layer 1 (sha256:"));
        assertEquals(List.of("/app"), m.config().entrypoint());
        assertEquals("/w", m.config().workingDir());
    }

    @Test
    void aTrailingExt3OverlayLayerIsNotPartOfTheRootfs() {
        Path image = TestImages.ociSif(
                tmp.resolve("ov.sif"),
                "{}",
                TestImages.Layer.squashfs(TestImages.fakeSquashfs(4096)),
                new TestImages.Layer("application/vnd.sylabs.image.layer.v1.ext3", new byte[4096]));
        assertEquals(1, SifImageSource.read(image).layers().size());
    }

    @Test
    void tarLayersCannotBeMountedInPlace() {
        Path image = fixture("sylabs-oci-tools/TestWrite-DockerManifest.oci.sif");
        assertEquals(
                image + ": layer 0 (sha256:7050e35b49f5e348c4809f5eff915842962cb813f32062d3bbdd35c750dd7d01)"
                        + " has media type application/vnd.docker.image.rootfs.diff.tar.gzip; only"
                        + " application/vnd.sylabs.image.layer.v1.squashfs layers can be mounted in place (a tar layer would"
                        + " have to be unpacked; convert the image to squashfs layers first)",
                refused(image));
    }

    @Test
    void multiImageOciSifsAreRefused() {
        Path image = fixture("sylabs-oci-tools/TestWrite-DockerManifestList.oci.sif");
        assertEquals(image + ": OCI-SIF holds 9 images; expected exactly one", refused(image));
    }

    @Test
    void aLayerForAnotherArchitectureIsRefused() {
        assumeTrue(HostArch.host() == SifArch.AMD64);
        assertTrue(HostArch.runs(SifArch.I386, HostArch.host()));
        assertTrue(!HostArch.runs(SifArch.ARM64, HostArch.host()));
        Path image = fixture("sylabs-oci-tools/oci-layout-overlayfs-docker-v2-manifest");
        Path sif = tmp.resolve("arm.sif");
        OciSifWriter.writeLayout(image, sif, 0);
        String m = refused(sif);
        assertTrue(
                m.endsWith(": image config (architecture \"arm64\"): built for arm64, which does not run on this"
                        + " amd64 host"),
                m);
    }
}
