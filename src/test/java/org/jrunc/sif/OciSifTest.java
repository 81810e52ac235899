package org.jrunc.sif;

import static org.jrunc.sif.OciLayouts.descriptorJson;
import static org.jrunc.sif.OciLayouts.indexJson;
import static org.jrunc.sif.OciLayouts.utf8;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root index → manifest → config → layers on the oci-tools fixtures, digest checks, and hostile OCI content. */
class OciSifTest {
    private static final String LAYER_DIGEST =
            "sha256:7050e35b49f5e348c4809f5eff915842962cb813f32062d3bbdd35c750dd7d01";
    private static final String CONFIG_DIGEST =
            "sha256:46331d942d6350436f64e614d75725f6de3bb5c63e266e236e04389820a234c4";
    private static final String MANIFEST_DIGEST =
            "sha256:432f982638b3aefab73cc58ab28f5c16e96fdb504e8c134fc58dff4bae8bf338";

    @TempDir
    Path dir;

    private static <T> T withOci(Path sif, Function<OciSif, T> action) {
        try (SifImage image = SifImage.open(sif)) {
            return action.apply(OciSif.of(image));
        }
    }

    private static String failure(Path sif, Consumer<OciSif> action) {
        SifException e = assertThrows(
                SifException.class,
                () -> withOci(sif, oci -> {
                    action.accept(oci);
                    return null;
                }));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e.getMessage();
    }

    @Test
    void dockerManifestImage() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.DOCKER_MANIFEST))) {
            OciSif oci = OciSif.of(image);
            assertEquals(4, oci.rootIndexObject().id());
            OciIndex root = oci.rootIndex();
            assertEquals(2, root.schemaVersion());
            assertEquals(OciMediaTypes.OCI_INDEX, root.mediaType());
            assertEquals(1, root.manifests().size());
            OciDescriptor entry = root.manifests().get(0);
            assertEquals(OciMediaTypes.DOCKER_MANIFEST, entry.mediaType());
            assertEquals(MANIFEST_DIGEST, entry.digest().toString());
            assertEquals(525, entry.size());
            assertEquals(OciMediaTypes.DOCKER_CONFIG, entry.artifactType());
            assertTrue(entry.referenceName().isEmpty());

            OciImage img = oci.singleImage();
            assertEquals(3, img.manifestObject().id());
            assertEquals(2, img.configObject().id());
            assertEquals(OciMediaTypes.DOCKER_MANIFEST, img.manifest().mediaType());
            assertEquals(CONFIG_DIGEST, img.manifest().config().digest().toString());
            assertEquals(1485, img.manifest().config().size());

            OciImageConfig config = img.config();
            assertEquals("arm64", config.architecture());
            assertEquals("linux", config.os());
            assertEquals("v8", config.variant());
            assertEquals(
                    List.of("sha256:efb53921da3394806160641b72a2cbd34ca1a9a8345ac670a85a04ad3d0e3507"),
                    config.diffIds());
            assertEquals("/hello", config.json().at("/config/Cmd/0").asText());
            config.json().withObject("/config").put("Cmd", "changed");
            assertEquals("/hello", config.json().at("/config/Cmd/0").asText(), "the record's JSON is immutable");

            assertEquals(1, img.layers().size());
            OciLayer layer = img.layers().get(0);
            assertEquals("application/vnd.docker.image.rootfs.diff.tar.gzip", layer.mediaType());
            assertEquals(LAYER_DIGEST, layer.digest().toString());
            assertEquals(6436, layer.offset());
            assertEquals(3208, layer.size());
            assertFalse(layer.isSquashfs());
            assertEquals(1, layer.object().id());
            assertEquals(Optional.of(layer.object()), oci.findBlob(layer.digest()));

            oci.verifyAll();
            assertEquals(List.of(img), oci.images());
        }
    }

    @Test
    void imageReferenceAnnotation() {
        OciImage img = withOci(Fixtures.path(Fixtures.IMAGE_WITH_REFERENCE), OciSif::singleImage);
        assertEquals(Optional.of("my:image"), img.referenceName());
        assertEquals(LAYER_DIGEST, img.layers().get(0).digest().toString());
        assertEquals(7021, img.layers().get(0).offset());
    }

    @Test
    void multiArchManifestList() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.DOCKER_MANIFEST_LIST))) {
            OciSif oci = OciSif.of(image);
            assertEquals(OciMediaTypes.DOCKER_MANIFEST_LIST, oci.rootIndex().mediaType());
            List<OciImage> images = oci.images();
            assertEquals(9, images.size());
            assertEquals(
                    List.of("amd64", "arm/v5", "arm/v7", "arm64/v8", "386", "mips64le", "ppc64le", "riscv64", "s390x"),
                    images.stream()
                            .map(i -> {
                                OciPlatform p = i.platform().orElseThrow();
                                assertEquals("linux", p.os());
                                return p.architecture() + (p.variant().isEmpty() ? "" : "/" + p.variant());
                            })
                            .toList());
            for (int i = 0; i < images.size(); i++) {
                OciImage img = images.get(i);
                // oci-tools order: layer, config, manifest per image.
                assertEquals(3 * i + 1, img.layers().get(0).object().id());
                assertEquals(3 * i + 2, img.configObject().id());
                assertEquals(3 * i + 3, img.manifestObject().id());
                assertEquals(
                        img.platform().orElseThrow().architecture(),
                        img.config().architecture());
            }
            oci.verifyAll();
            SifException e = assertThrows(SifException.class, oci::singleImage);
            assertTrue(e.getMessage().endsWith(": OCI-SIF holds 9 images; expected exactly one"), e.getMessage());
        }
    }

    @Test
    void degenerateAndNonOciImages() {
        try (SifImage image = SifImage.open(Fixtures.path(Fixtures.EMPTY_OCI))) {
            OciSif oci = OciSif.of(image);
            assertEquals(0, oci.rootIndex().schemaVersion());
            assertTrue(oci.rootIndex().manifests().isEmpty());
            assertTrue(oci.images().isEmpty());
            oci.verifyAll();
        }
        assertEquals(
                Fixtures.path(Fixtures.EMPTY_OCI) + ": OCI-SIF holds 0 images; expected exactly one",
                failure(Fixtures.path(Fixtures.EMPTY_OCI), OciSif::singleImage));
        // sylabs' test index.json uses made-up digests such as "sha256:abcdef1234567890".
        assertEquals(
                Fixtures.path(Fixtures.OCI_ROOT_INDEX) + ": object 1 (OCI.RootIndex): manifests[0]:"
                        + " unsupported or malformed digest \"sha256:abcdef1234567890\"",
                failure(Fixtures.path(Fixtures.OCI_ROOT_INDEX), OciSif::rootIndex));
        SifException e = assertThrows(SifException.class, () -> withOci(Fixtures.path(Fixtures.BUSYBOX), o -> o));
        assertEquals(Fixtures.path(Fixtures.BUSYBOX) + ": not an OCI-SIF: no OCI.RootIndex object", e.getMessage());
    }

    @Test
    void tamperedLayerFailsVerification() {
        Path sif = Fixtures.copy(Fixtures.DOCKER_MANIFEST, dir);
        byte[] data = TestBytes.read(sif);
        data[6436 + 100] ^= 0x01;
        TestBytes.write(sif, data);
        try (SifImage image = SifImage.open(sif)) {
            OciSif oci = OciSif.of(image);
            OciLayer layer = oci.singleImage().layers().get(0); // layers are only verified on request
            SifException e = assertThrows(SifException.class, () -> oci.verify(layer.object()));
            assertTrue(
                    e.getMessage().startsWith(sif + ": object 1 (OCI.Blob): data hashes to sha256:"), e.getMessage());
            assertTrue(e.getMessage().endsWith(" but the descriptor records " + LAYER_DIGEST), e.getMessage());
            assertEquals(
                    e.getMessage(),
                    assertThrows(SifException.class, oci::verifyAll).getMessage());
        }
    }

    @Test
    void tamperedJsonIsCaughtBeforeParsing() {
        Path sif = Fixtures.copy(Fixtures.DOCKER_MANIFEST, dir);
        byte[] data = TestBytes.read(sif);
        data[11129 + 40] ^= 0x20; // inside the manifest (object 3)
        TestBytes.write(sif, data);
        String message = failure(sif, OciSif::singleImage);
        assertTrue(message.startsWith(sif + ": object 3 (OCI.Blob): data hashes to sha256:"), message);
        assertTrue(message.endsWith("but the descriptor records " + MANIFEST_DIGEST), message);
    }

    @Test
    void tamperedRecordedDigestBreaksTheLookup() {
        Path sif = Fixtures.copy(Fixtures.DOCKER_MANIFEST, dir);
        byte[] data = TestBytes.read(sif);
        data[4096 + 201 + 10] = 'f'; // layer descriptor's Extra: "sha256:705..." -> "sha256:705f..."
        TestBytes.write(sif, data);
        assertEquals(
                sif + ": no OCI blob with digest " + LAYER_DIGEST
                        + " (application/vnd.docker.image.rootfs.diff.tar.gzip)",
                failure(sif, OciSif::singleImage));
        data[4096 + 201 + 10] = 'X';
        TestBytes.write(sif, data);
        assertEquals(
                sif + ": object 1 (OCI.Blob) records a malformed digest"
                        + " \"sha256:705Xe35b49f5e348c4809f5eff915842962cb813f32062d3bbdd35c750dd7d01\"",
                failure(sif, OciSif::verifyAll));
    }

    @Test
    void rootIndexMustBeUnique() {
        Path sif = dir.resolve("two-roots.sif");
        try (SifWriter w = SifWriter.create(sif, SifCreateOptions.deterministic())) {
            w.add(SifObjectInput.of(SifDataType.OCI_ROOT_INDEX, utf8("{}")));
            w.add(SifObjectInput.of(SifDataType.OCI_ROOT_INDEX, utf8("{ }")));
        }
        SifException e = assertThrows(SifException.class, () -> withOci(sif, o -> o));
        assertEquals(sif + ": 2 OCI.RootIndex objects (IDs 1, 2); expected exactly one", e.getMessage());
    }

    @Test
    void malformedJsonDocuments() {
        String digest = "\"sha256:" + "0".repeat(64) + "\"";
        List<String[]> cases = List.of(
                new String[] {"not json", "object 1 (OCI.RootIndex): invalid JSON: "},
                new String[] {"[]", "object 1 (OCI.RootIndex): expected a JSON object"},
                new String[] {"", "object 1 (OCI.RootIndex): expected a JSON object"},
                new String[] {"{} {}", "object 1 (OCI.RootIndex): invalid JSON: "},
                new String[] {"{\"manifests\":5}", "object 1 (OCI.RootIndex): \"manifests\" is not an array"},
                new String[] {"{\"manifests\":[7]}", "manifests[0]: descriptor is not a JSON object"},
                new String[] {"{\"manifests\":[{}]}", "manifests[0]: descriptor has no digest"},
                new String[] {
                    "{\"manifests\":[{\"digest\":" + digest + "}]}",
                    "manifests[0]: descriptor size is missing or not a non-negative integer"
                },
                new String[] {
                    "{\"manifests\":[{\"digest\":" + digest + ",\"size\":-1}]}",
                    "descriptor size is missing or not a non-negative integer"
                },
                new String[] {
                    "{\"manifests\":[{\"digest\":" + digest + ",\"size\":1e99}]}",
                    "descriptor size is missing or not a non-negative integer"
                },
                new String[] {
                    "{\"manifests\":[{\"digest\":" + digest + ",\"size\":1,\"mediaType\":3}]}",
                    "manifests[0]: \"mediaType\" is not a string"
                },
                new String[] {
                    "{\"manifests\":[{\"digest\":" + digest + ",\"size\":1,\"platform\":\"x\"}]}",
                    "manifests[0]: \"platform\" is not an object"
                },
                new String[] {"{\"annotations\":{\"a\":1}}", "annotation \"a\" is not a string"},
                new String[] {"{\"schemaVersion\":\"2\"}", "\"schemaVersion\" is not an integer"},
                new String[] {"[".repeat(5000), "object 1 (OCI.RootIndex): invalid JSON: "});
        for (String[] c : cases) {
            Path sif = OciLayouts.sif(dir.resolve("bad-" + Math.abs(c[0].hashCode()) + ".sif"), c[0]);
            String message = failure(sif, OciSif::images);
            assertTrue(message.startsWith(sif + ": "), message);
            assertTrue(message.contains(c[1]), c[0] + " gave: " + message);
        }
    }

    @Test
    void manifestAndConfigShapesAreChecked() {
        byte[] noConfig = utf8("{\"schemaVersion\":2,\"layers\":[]}");
        Path sif = OciLayouts.sif(
                dir.resolve("noconfig.sif"), indexJson(descriptorJson(OciMediaTypes.OCI_MANIFEST, noConfig)), noConfig);
        assertEquals(sif + ": object 1 (OCI.Blob): manifest has no config", failure(sif, OciSif::images));

        byte[] config = utf8("{\"rootfs\":{\"diff_ids\":[1]}}");
        byte[] manifest =
                utf8("{\"schemaVersion\":2,\"config\":" + descriptorJson(OciMediaTypes.OCI_CONFIG, config) + "}");
        sif = OciLayouts.sif(
                dir.resolve("badconfig.sif"),
                indexJson(descriptorJson(OciMediaTypes.OCI_MANIFEST, manifest)),
                config,
                manifest);
        assertEquals(sif + ": object 1 (OCI.Blob): rootfs.diff_ids[0] is not a string", failure(sif, OciSif::images));
    }

    @Test
    void referencedSizeMustMatchTheObject() {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\"}");
        String wrongSize = "{\"mediaType\":\"" + OciMediaTypes.OCI_CONFIG + "\",\"digest\":\""
                + OciDigest.sha256(config) + "\",\"size\":" + (config.length + 1) + "}";
        byte[] manifest = utf8("{\"schemaVersion\":2,\"config\":" + wrongSize + ",\"layers\":[]}");
        Path sif = OciLayouts.sif(
                dir.resolve("size.sif"),
                indexJson(descriptorJson(OciMediaTypes.OCI_MANIFEST, manifest)),
                config,
                manifest);
        assertEquals(
                sif + ": " + OciDigest.sha256(config) + " is referenced with size " + (config.length + 1)
                        + " but object 1 (OCI.Blob) holds " + config.length + " bytes",
                failure(sif, OciSif::images));
    }

    @Test
    void nestedIndexesAreFollowedButNotTooDeep() {
        byte[] config = utf8("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"diff_ids\":[]}}");
        byte[] manifest = utf8("{\"schemaVersion\":2,\"mediaType\":\"" + OciMediaTypes.OCI_MANIFEST + "\",\"config\":"
                + descriptorJson(OciMediaTypes.OCI_CONFIG, config) + ",\"layers\":[]}");
        List<byte[]> blobs = new ArrayList<>(List.of(config, manifest));
        String entry = descriptorJson(OciMediaTypes.OCI_MANIFEST, manifest);
        for (int depth = 1; depth <= 9; depth++) {
            byte[] nested = utf8(indexJson(entry));
            blobs.add(nested);
            entry = descriptorJson(OciMediaTypes.OCI_INDEX, nested);
            Path sif = OciLayouts.sif(
                    dir.resolve("nested" + depth + ".sif"), indexJson(entry), blobs.toArray(new byte[0][]));
            if (depth <= 8) {
                OciImage img = withOci(sif, OciSif::singleImage);
                assertEquals("amd64", img.config().architecture());
                assertTrue(img.layers().isEmpty());
            } else {
                assertEquals(sif + ": OCI indexes nested more than 8 deep", failure(sif, OciSif::images));
            }
        }
    }

    @Test
    void fanOutIsBounded() {
        byte[] leaf = utf8(indexJson());
        String entry = descriptorJson(OciMediaTypes.OCI_INDEX, leaf);
        byte[] wide = utf8(indexJson(Collections.nCopies(100, entry).toArray(new String[0])));
        String wideEntry = descriptorJson(OciMediaTypes.OCI_INDEX, wide);
        // 100 x 100 references to the same tiny index: cheap to store, must not be walked 10000 times.
        Path sif = OciLayouts.sif(
                dir.resolve("wide.sif"),
                indexJson(Collections.nCopies(100, wideEntry).toArray(new String[0])),
                leaf,
                wide);
        assertEquals(sif + ": OCI index tree lists more than 4096 manifests", failure(sif, OciSif::images));
    }

    @Test
    void artifactsAreSkipped() {
        byte[] artifact = utf8("some artifact");
        Path sif = OciLayouts.sif(
                dir.resolve("artifact.sif"),
                indexJson(descriptorJson("application/vnd.example.thing", artifact)),
                artifact);
        try (SifImage image = SifImage.open(sif)) {
            OciSif oci = OciSif.of(image);
            assertTrue(oci.images().isEmpty());
            OciDescriptor ref = oci.rootIndex().manifests().get(0);
            assertArrayEquals(artifact, image.readBytes(oci.blob(ref), 100));
            assertEquals(
                    Arrays.asList(1, 2),
                    image.descriptors().stream().map(SifDescriptor::id).toList());
        }
    }
}
