package org.jrunc.spectest.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.SpecTest;
import org.jrunc.spectest.e2e.HostProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The image-pull spec-tests' fixtures, proven with skopeo and umoci (no jrunc involved): docker-registry started and
 * stopped, a bearer-token front that lets the right credentials in and keeps wrong ones out, each injected fault seen
 * by skopeo, OCI layouts and archives that skopeo reads, and a tree comparison that is empty for the same image and
 * names a change. Afterwards no process started here and no temp file of the fixtures remains.
 */
class ImageFixturesTest extends SpecTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Credentials USER = new Credentials("puller", "s3cret");
    private static final Credentials WRONG = new Credentials("puller", "wrong");

    private Set<String> tempBefore;

    @BeforeEach
    void noteTempFiles() throws IOException {
        tempBefore = fixtureTempFiles();
    }

    /** Breaking any close() (registry, front) or LayerTar's temp-file cleanup fails this. */
    @AfterEach
    void nothingOfTheFixturesLeft() throws IOException {
        assertEquals(List.of(), HostProcesses.withCommandLineContaining(tmp.toString()), "processes left running");
        assertEquals(tempBefore, fixtureTempFiles(), "temp files left behind");
    }

    private static Set<String> fixtureTempFiles() throws IOException {
        Set<String> out = new TreeSet<>();
        for (Path dir : List.of(Path.of(System.getProperty("java.io.tmpdir")), Path.of("/var/tmp"))) {
            try (Stream<Path> s = Files.list(dir)) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith(LayerTar.TEMP_PREFIX) || n.startsWith("container_images"))
                        .forEach(n -> out.add(dir + "/" + n));
            }
        }
        return out;
    }

    /** Three layers (gzip, zstd, none) with every kind of entry and both whiteouts. */
    static Image everyKindOfEntry() {
        return Image.of(
                Layer.of(
                        LayerCompression.GZIP,
                        LayerEntry.directory("etc"),
                        LayerEntry.file("etc/hello", "hello\n")
                                .withXattr("user.note", "kept")
                                .withXattr("trusted.overlay.x", "y"),
                        LayerEntry.hardLink("etc/hard", "etc/hello"),
                        LayerEntry.symlink("etc/link", "hello"),
                        LayerEntry.file("etc/owned", "secret\n")
                                .withOwner(1000, 1000)
                                .withMode(0600),
                        LayerEntry.file("etc/gone", "deleted by layer 2\n"),
                        LayerEntry.directory("usr"),
                        LayerEntry.directory("usr/bin"),
                        LayerEntry.file("usr/bin/su", "not really su\n").withMode(04755),
                        LayerEntry.directory("run"),
                        LayerEntry.fifo("run/fifo"),
                        LayerEntry.directory("var").withMtime(1_600_000_000L),
                        LayerEntry.directory("var/cache").withMode(01777),
                        LayerEntry.file("var/cache/a", "a\n"),
                        LayerEntry.file("var/cache/b", "b\n")),
                Layer.of(
                        LayerCompression.ZSTD,
                        LayerEntry.whiteout("etc/gone"),
                        LayerEntry.directory("var/cache").withMode(01777),
                        LayerEntry.opaque("var/cache"),
                        LayerEntry.file("var/cache/c", "c\n").withMtime(1_500_000_000L)),
                Layer.of(LayerCompression.NONE, LayerEntry.file("etc/plain", "uncompressed layer\n")));
    }

    @Test
    void bearerTokenFrontLetsTheRightCredentialsIn() throws Exception {
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout"), "v1", everyKindOfEntry());
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry).requireBearerTokens(USER)) {
            Skopeo.push(layout, registry.reference("test/every", "v1"), Optional.empty())
                    .ok();

            Jrunc.Result raw = Skopeo.inspectRaw(front.reference("test/every", "v1"), Optional.of(USER))
                    .ok();
            assertEquals(layout.digest(), TestImages.digest(raw.out().getBytes(StandardCharsets.UTF_8)));
            assertTrue(
                    front.requests().stream().anyMatch(r -> r.path().equals("/token") && r.status() == 200),
                    front.describeRequests());
            HttpResponse<Void> challenged = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(front.baseUri().resolve("/v2/test/every/manifests/v1"))
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
            assertEquals(401, challenged.statusCode());
            assertEquals(
                    "Bearer realm=\"" + front.baseUri() + "/token\",service=\"test-registry\","
                            + "scope=\"repository:test/every:pull\"",
                    challenged.headers().firstValue("WWW-Authenticate").orElse(""));

            front.clearRequests();
            Jrunc.Result wrong = Skopeo.inspectRaw(front.reference("test/every", "v1"), Optional.of(WRONG));
            assertNotEquals(0, wrong.exit(), wrong.out());
            assertTrue(
                    front.requests().stream().anyMatch(r -> r.path().equals("/token") && r.status() == 401),
                    front.describeRequests());
            assertFalse(front.requests().stream().anyMatch(r -> r.isManifest() && r.status() == 200));

            Jrunc.Result anonymous = Skopeo.inspectRaw(front.reference("test/every", "v1"), Optional.empty());
            assertNotEquals(0, anonymous.exit(), anonymous.out());
        }
    }

    /** The registry's own htpasswd auth, and a token front in front of it talking to it with its credentials. */
    @Test
    void basicAuthRegistryBehindATokenFront() throws Exception {
        OciLayout layout =
                TestImages.writeLayout(tmp.resolve("layout"), "v1", TestImages.busybox(LayerCompression.GZIP));
        try (LocalRegistry registry = LocalRegistry.startWithBasicAuth(tmp.resolve("registry"), USER);
                RegistryFront front = RegistryFront.start(registry).requireBearerTokens(USER)) {
            assertNotEquals(
                    0,
                    Skopeo.push(layout, registry.reference("busybox", "v1"), Optional.empty())
                            .exit());
            Skopeo.push(layout, registry.reference("busybox", "v1"), Optional.of(USER))
                    .ok();
            Path rootfs = TreeComparison.referenceRootfs(
                    front.reference("busybox", "v1"), Optional.of(USER), tmp.resolve("ref"));
            assertTrue(Files.isExecutable(rootfs.resolve("bin/busybox")));
            assertEquals(
                    "busybox", Files.readSymbolicLink(rootfs.resolve("bin/sh")).toString());
        }
    }

    /** One 429 and skopeo's retry of that blob; breaking BlobFaults.takeFailure (never failing) fails this. */
    @Test
    void tooManyRequestsAnswersABlobGet() throws Exception {
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout"), "v1", everyKindOfEntry());
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            Skopeo.push(layout, registry.reference("test/every", "v1"), Optional.empty())
                    .ok();
            front.failNextBlobGets(RegistryFront.FailedResponses.tooManyRequests(1, 0));
            Jrunc.Result copy = Skopeo.pullToLayout(
                    front.reference("test/every", "v1"), tmp.resolve("copy"), "v1", Optional.empty());
            List<RegistryFront.Request> blobGets = front.requests().stream()
                    .filter(r -> r.method().equals("GET") && r.isBlob())
                    .toList();
            assertEquals(429, blobGets.get(0).status(), front.describeRequests());
            assertEquals(
                    1,
                    blobGets.stream().filter(r -> r.status() == 429).count(),
                    "only the next one fails\n" + front.describeRequests());
            copy.ok(); // skopeo 1.9 retries the blob
            String refused = blobGets.get(0).path();
            assertTrue(
                    blobGets.stream().anyMatch(r -> r.path().equals(refused) && r.status() == 200),
                    "the refused blob is fetched again\n" + front.describeRequests());
        }
    }

    /** Breaking BlobFaults.copyBlob's flip fails this. */
    @Test
    void tamperedBlobMakesSkopeoCopyFail() throws Exception {
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout"), "v1", everyKindOfEntry());
        String layer = layout.amd64().layerDigests().get(0);
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            Skopeo.push(layout, registry.reference("test/every", "v1"), Optional.empty())
                    .ok();
            front.tamperBlob(layer);
            Jrunc.Result copy = Skopeo.pullToLayout(
                    front.reference("test/every", "v1"), tmp.resolve("copy"), "v1", Optional.empty());
            assertNotEquals(0, copy.exit(), copy.out());
            assertTrue(copy.err().contains(layer.substring("sha256:".length())), copy.err());
        }
    }

    /** Redirected blobs reach skopeo from 127.0.0.2 without its token; breaking the Location fails this. */
    @Test
    void redirectedBlobsComeFromTheBlobStoreWithoutAuthorization() throws Exception {
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout"), "v1", everyKindOfEntry());
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry).requireBearerTokens(USER)) {
            Skopeo.push(layout, registry.reference("test/every", "v1"), Optional.empty())
                    .ok();
            front.redirectBlobs();
            Skopeo.pullToLayout(front.reference("test/every", "v1"), tmp.resolve("copy"), "v1", Optional.of(USER))
                    .ok();
            List<RegistryFront.Request> store = front.blobStoreRequests();
            assertEquals(4, store.size(), "config and three layers: " + store);
            assertTrue(store.stream().allMatch(r -> r.status() == 200 && !r.hadAuthorization()), store.toString());
            assertTrue(front.requests().stream().anyMatch(r -> r.isBlob() && r.status() == 307));
        }
    }

    /** A throttled blob is still streaming when the client is killed; the front then serves the next client. */
    @Test
    void throttledBlobLetsATestKillADownload() throws Exception {
        OciLayout layout =
                TestImages.writeLayout(tmp.resolve("layout"), "v1", TestImages.busybox(LayerCompression.NONE));
        String layer = layout.amd64().layerDigests().get(0);
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            Skopeo.push(layout, registry.reference("busybox", "v1"), Optional.empty())
                    .ok();
            front.throttleBlob(layer, 64 * 1024);
            int status = KillableDownload.killWhileStreaming(
                    List.of(
                            "skopeo",
                            "--insecure-policy",
                            "copy",
                            "--src-tls-verify=false",
                            "docker://" + front.reference("busybox", "v1"),
                            "oci:" + tmp.resolve("killed") + ":v1"),
                    Map.of(),
                    tmp.resolve("killed.log"),
                    front,
                    layer);
            assertEquals(137, status, "killed while the throttled blob streamed");
            front.throttleBlob(layer, Long.MAX_VALUE / 1000);
            Skopeo.pullToLayout(front.reference("busybox", "v1"), tmp.resolve("copy"), "v1", Optional.empty())
                    .ok();
        }
    }

    /** A multi-arch index: skopeo --all pushes both, a plain copy takes the host's (amd64) one. */
    @Test
    void multiArchIndexGivesTheHostsImage() throws Exception {
        OciLayout layout = TestImages.writeMultiArchLayout(
                tmp.resolve("layout"), "v1", TestImages.amd64AndArm64(everyKindOfEntry()));
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
            Skopeo.push(layout, registry.reference("multi", "v1"), Optional.empty())
                    .ok();
            JsonNode index = JSON.readTree(Skopeo.inspectRaw(registry.reference("multi", "v1"), Optional.empty())
                    .ok()
                    .out());
            assertEquals(TestImages.INDEX, index.path("mediaType").asText());
            assertEquals(2, index.path("manifests").size());
            Path rootfs = TreeComparison.referenceRootfs(
                    registry.reference("multi", "v1"), Optional.empty(), tmp.resolve("ref"));
            assertTrue(Files.exists(rootfs.resolve("etc/plain")));
            assertFalse(Files.exists(rootfs.resolve("etc/platform")));
        }
    }

    /** Both archive forms are readable by skopeo and name the same image config. */
    @Test
    void ociAndDockerArchivesOfALayout() throws Exception {
        Image image = Image.of(
                Layer.of(LayerCompression.GZIP, LayerEntry.file("a", "gzip\n")),
                Layer.of(LayerCompression.NONE, LayerEntry.file("b", "none\n")));
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout"), "v1", image);
        Path oci = TestImages.ociArchive(layout, tmp.resolve("image.oci.tar"));
        Path docker = TestImages.dockerArchive(layout, tmp.resolve("image.docker.tar"), "test/every:v1");
        JsonNode fromOci = JSON.readTree(Skopeo.run(List.of("inspect", "--config", "oci-archive:" + oci + ":v1"))
                .ok()
                .out());
        JsonNode fromDocker = JSON.readTree(Skopeo.run(List.of("inspect", "--config", "docker-archive:" + docker))
                .ok()
                .out());
        assertEquals(fromOci.path("rootfs"), fromDocker.path("rootfs"));
        assertEquals(
                layout.amd64().diffIds().size(),
                fromDocker.path("rootfs").path("diff_ids").size());
    }

    /**
     * The reference tree of an image equals itself and a squashfs of itself unpacked; a change in a copy is named.
     * Dropping any field from TreeComparison.compare fails the last assertion for that field.
     */
    @Test
    void treeComparisonIsEmptyForTheSameImageAndNamesChanges() throws Exception {
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout"), "v1", everyKindOfEntry());
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
            Skopeo.push(layout, registry.reference("test/every", "v1"), Optional.empty())
                    .ok();
            Path a = TreeComparison.referenceRootfs(
                    registry.reference("test/every", "v1"), Optional.empty(), tmp.resolve("a"));
            Path b = TreeComparison.referenceRootfs(
                    registry.reference("test/every", "v1"), Optional.empty(), tmp.resolve("b"));
            assertEquals(List.of(), TreeComparison.compare(a, b));
            assertFalse(Files.exists(a.resolve("etc/gone")));
            assertFalse(Files.exists(a.resolve("var/cache/a")));
            assertEquals("kept", new String(Xattrs.of(a.resolve("etc/hello")).get("user.note")));

            Path squashfs = tmp.resolve("a.squashfs");
            Jrunc.Result mk = Jrunc.raw(
                    List.of("mksquashfs", a.toString(), squashfs.toString(), "-noappend", "-quiet", "-no-progress"),
                    Map.of(),
                    null,
                    120);
            assertEquals(0, mk.exit(), mk.err());
            Path unsquashed = TreeComparison.unsquash(squashfs, 0, tmp.resolve("unsquashed"));
            assertEquals(List.of(), TreeComparison.compare(a, unsquashed));

            Files.setPosixFilePermissions(b.resolve("etc/plain"), PosixFilePermissions.fromString("rwx------"));
            Files.writeString(b.resolve("etc/owned"), "changed\n");
            Files.delete(b.resolve("etc/hard"));
            Files.createFile(b.resolve("etc/extra"));
            List<String> differences = TreeComparison.compare(a, b).stream()
                    .map(d -> d.path() + " " + d.field())
                    .toList();
            assertEquals(
                    List.of(
                            "etc mtime",
                            "etc/extra presence",
                            "etc/hard presence",
                            "etc/hello hard links",
                            "etc/owned mtime",
                            "etc/owned sha256",
                            "etc/owned size",
                            "etc/plain mode"),
                    differences.stream().sorted().toList(),
                    differences.toString());
        }
    }
}
