package org.jrunc.sif;

import static org.jrunc.sif.OciLayouts.descriptorJson;
import static org.jrunc.sif.OciLayouts.indexJson;
import static org.jrunc.sif.OciLayouts.utf8;
import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Layout → OCI-SIF: byte-identical to oci-tools' goldens, and a squashfs layer mountable at its offset. */
class OciSifWriterTest {
    @TempDir
    Path dir;

    private void assertRebuilt(String fixture, int spare) {
        Path layout = OciLayouts.extract(
                fixture, dir.resolve(Path.of(fixture).getFileName().toString()));
        Path out = dir.resolve("rebuilt.oci.sif");
        OciSifWriter.writeLayout(layout, out, spare);
        byte[] expected = Fixtures.bytes(fixture);
        byte[] actual = TestBytes.read(out);
        assertEquals(expected.length, actual.length, fixture);
        assertEquals(-1, Arrays.mismatch(expected, actual), fixture + ": first differing byte");
    }

    @Test
    void rebuildsTheOciToolsGoldensByteForByte() {
        assertRebuilt(Fixtures.DOCKER_MANIFEST, 0);
        assertRebuilt(Fixtures.IMAGE_WITH_REFERENCE, 1);
        assertRebuilt(Fixtures.DOCKER_MANIFEST_LIST, 0);
    }

    @Test
    void squashfsLayerIsUsableInPlace() throws Exception {
        Path layout = Fixtures.path(Fixtures.OVERLAYFS_LAYOUT);
        Path sif = dir.resolve("overlayfs.oci.sif");
        OciSifWriter.writeLayout(layout, sif, 8); // Singularity's spare capacity
        try (SifImage image = SifImage.open(sif)) {
            SifHeader h = image.header();
            assertEquals(12, h.descriptorsTotal());
            assertEquals(8, h.descriptorsFree());
            assertEquals(4096 + 12 * 585, h.dataOffset());
            assertTrue(h.isDeterministic());
            OciSif oci = OciSif.of(image);
            oci.verifyAll();
            OciImage img = oci.singleImage();
            assertEquals("arm64", img.config().architecture());
            OciLayer layer = img.layers().get(0);
            assertTrue(layer.isSquashfs());
            assertEquals(h.dataOffset(), layer.offset(), "the layer is the first object, unaligned");
            assertEquals(4096, layer.size());
            assertEquals(
                    List.of(layer.digest().toString()),
                    img.config().diffIds(),
                    "a squashfs layer's digest is its diff ID");
            assertTrue(image.isSquashfs(layer.object()));

            String listing = Unsquashfs.run(sif, layer.offset(), "-ll");
            assertTrue(listing.contains("squashfs-root/dir"), listing);
            assertTrue(
                    listing.lines()
                            .anyMatch(l ->
                                    l.startsWith("c") && l.contains(" 0,  0 ") && l.endsWith("squashfs-root/file")),
                    "overlayfs whiteout char device 0:0:\n" + listing);
        }
    }

    @Test
    void nestedIndexesAreWrittenChildrenFirst() throws IOException {
        Path layout = OciLayouts.extract(Fixtures.DOCKER_MANIFEST, dir);
        byte[] manifestEntryIndex = Files.readAllBytes(layout.resolve("index.json"));
        String nested = OciLayouts.addBlob(layout, OciMediaTypes.OCI_INDEX, manifestEntryIndex);
        byte[] artifact = utf8("attestation");
        String artifactEntry = OciLayouts.addBlob(layout, "application/vnd.example.attestation", artifact);
        Files.write(layout.resolve("index.json"), utf8(indexJson(nested, artifactEntry)));
        Path sif = dir.resolve("nested.oci.sif");
        OciSifWriter.writeLayout(layout, sif, 0);
        try (SifImage image = SifImage.open(sif)) {
            assertEquals(6, image.header().descriptorsTotal());
            List<Long> sizes =
                    image.descriptors().stream().map(SifDescriptor::size).toList();
            // layer, config, manifest, nested index, artifact, root index
            assertEquals(
                    List.of(3208L, 1485L, 525L, (long) manifestEntryIndex.length, (long) artifact.length),
                    sizes.subList(0, 5));
            assertEquals(SifDataType.OCI_ROOT_INDEX, image.descriptors().get(5).dataType());
            OciImage img = OciSif.of(image).singleImage();
            assertEquals(4096 + 6 * 585, img.layers().get(0).offset());
        }
    }

    @Test
    void badLayoutsAreRefused() throws IOException {
        Path layout = OciLayouts.extract(Fixtures.DOCKER_MANIFEST, dir);
        Path blob = layout.resolve("blobs/sha256/7050e35b49f5e348c4809f5eff915842962cb813f32062d3bbdd35c750dd7d01");
        byte[] good = Files.readAllBytes(blob);
        byte[] bad = good.clone();
        bad[0] ^= 1;
        Files.write(blob, bad);
        Path out = dir.resolve("out.oci.sif");
        SifException e = assertThrows(SifException.class, () -> OciSifWriter.writeLayout(layout, out, 0));
        assertTrue(e.getMessage().startsWith(blob + ": content hashes to sha256:"), e.getMessage());
        assertTrue(e.getMessage().endsWith(", not to its name"), e.getMessage());

        Files.delete(blob);
        e = assertThrows(SifException.class, () -> OciSifWriter.writeLayout(layout, out, 0));
        assertEquals(
                out + ": cannot read the data of the new OCI.Blob object from " + blob + ": no such file",
                e.getMessage());
        assertFalse(Files.exists(out), "no half-written OCI-SIF is left behind");
    }

    @Test
    void nonSha256LayoutsAreRefused() throws IOException {
        Path layout = dir.resolve("layout");
        Files.createDirectories(layout);
        String sha512 = "{\"mediaType\":\"x\",\"digest\":\"sha512:" + "a".repeat(128) + "\",\"size\":1}";
        Files.write(layout.resolve("index.json"), utf8(indexJson(sha512)));
        SifException e =
                assertThrows(SifException.class, () -> OciSifWriter.writeLayout(layout, dir.resolve("o.sif"), 0));
        assertEquals(
                layout + ": blob sha512:" + "a".repeat(128) + " is not a sha256 digest, which OCI-SIF requires",
                e.getMessage());
        Files.write(layout.resolve("index.json"), utf8(indexJson(descriptorJson("x", new byte[1])) + "x"));
        e = assertThrows(SifException.class, () -> OciSifWriter.writeLayout(layout, dir.resolve("o.sif"), 0));
        assertTrue(e.getMessage().startsWith(layout.resolve("index.json") + ": index: invalid JSON: "), e.getMessage());
    }
}
