package org.jrunc.spectest.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.jrunc.sif.OciImage;
import org.jrunc.sif.OciSif;
import org.jrunc.sif.SifImage;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.SpecTest;
import org.jrunc.spectest.e2e.HostProcesses;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * `jrunc pull` and `jrunc mount SOURCE` against real parts: Debian's docker-registry behind a token-auth,
 * fault-injecting front, images built by the tests and pushed with skopeo, and skopeo + umoci as the reference for
 * the squashed tree. Each pull uses a cache of its own ($JRUNC_CACHEDIR in the test's temp dir).
 */
class ImagePullTest extends SpecTest {
    private static final Credentials USER = new Credentials("puller", "s3cret");

    /** No pull may leave a process behind, whatever it was killed or refused for. */
    @AfterEach
    void noPullLeftRunning() {
        assertEquals(List.of(), HostProcesses.withCommandLineContaining(tmp.toString()), "processes left running");
    }

    private Path cache() {
        return tmp.resolve("cache");
    }

    private Map<String, String> env() {
        return Map.of("JRUNC_CACHEDIR", cache().toString());
    }

    private Jrunc.Result jrunc(Map<String, String> extraEnv, String... args) {
        Map<String, String> env = new HashMap<>(env());
        env.putAll(extraEnv);
        return jrunc.exec(env, null, args);
    }

    private Jrunc.Result pull(String... args) {
        return jrunc(Map.of(), args);
    }

    /** The squashfs layer of a pulled OCI-SIF, unpacked with unsquashfs. */
    private Path unsquash(Path sif, String name) throws IOException {
        return TreeComparison.unsquash(sif, layer(sif).offset(), tmp.resolve(name));
    }

    private static org.jrunc.sif.OciLayer layer(Path sif) {
        try (SifImage image = SifImage.open(sif)) {
            OciImage oci = OciSif.of(image).singleImage();
            assertEquals(1, oci.layers().size(), "one squashed layer");
            assertEquals(
                    "application/vnd.sylabs.image.layer.v1.squashfs",
                    oci.layers().get(0).mediaType());
            return oci.layers().get(0);
        }
    }

    private List<String> files(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** {@code image} written as a layout in the test's directory and pushed to {@code registry} as NAME:v1. */
    private OciLayout push(LocalRegistry registry, String name, Image image) throws IOException {
        OciLayout layout = TestImages.writeLayout(tmp.resolve("layout-" + name.replace('/', '-')), "v1", image);
        Skopeo.push(layout, registry.reference(name, "v1"), Optional.empty()).ok();
        return layout;
    }

    /** Every case of the whiteout list, in layers of each compression. */
    static Image whiteoutCases() {
        return Image.of(
                Layer.of(
                        LayerCompression.GZIP,
                        LayerEntry.directory("data"),
                        LayerEntry.file("data/target", "target content\n"),
                        LayerEntry.hardLink("data/link", "data/target"),
                        LayerEntry.file("data/replaced", "old\n"),
                        LayerEntry.hardLink("data/replaced-link", "data/replaced"),
                        LayerEntry.file("data/becomes-dir", "file first\n"),
                        LayerEntry.directory("data/dir-becomes-file"),
                        LayerEntry.file("data/dir-becomes-file/inner", "inner\n"),
                        LayerEntry.symlink("data/symlink-becomes-file", "target"),
                        LayerEntry.directory("opaque"),
                        LayerEntry.file("opaque/lower", "hidden by the opaque marker\n"),
                        LayerEntry.file("kept", "kept\n").withOwner(1234, 5678).withMode(0640)),
                Layer.of(
                        LayerCompression.ZSTD,
                        LayerEntry.whiteout("data/target"),
                        LayerEntry.file("data/replaced", "new\n"),
                        LayerEntry.whiteout("data/becomes-dir"),
                        LayerEntry.directory("data/becomes-dir"),
                        LayerEntry.file("data/becomes-dir/child", "child\n"),
                        LayerEntry.whiteout("data/dir-becomes-file"),
                        LayerEntry.file("data/dir-becomes-file", "now a file\n"),
                        LayerEntry.whiteout("data/symlink-becomes-file"),
                        LayerEntry.file("data/symlink-becomes-file", "a file now\n"),
                        LayerEntry.directory("opaque"),
                        LayerEntry.opaque("opaque"),
                        LayerEntry.file("opaque/upper", "upper\n")),
                Layer.of(
                        LayerCompression.NONE,
                        LayerEntry.whiteout("data/becomes-dir"),
                        LayerEntry.file("data/becomes-dir", "a file again\n")));
    }

    /**
     * A pull through the registry gives, file by file, what skopeo copy + umoci unpack give: the whiteout cases, hard
     * links whose target a later layer deletes or replaces, owners, modes, xattrs, fifos, setuid, in gzip, zstd and
     * plain layers. Both test images are compared.
     */
    @Test
    void aPulledImageMatchesSkopeoAndUmociFileByFile() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            Map<String, Image> images =
                    Map.of("every", ImageFixturesTest.everyKindOfEntry(), "whiteouts", whiteoutCases());
            for (Map.Entry<String, Image> image : images.entrySet()) {
                String name = image.getKey();
                push(registry, "test/" + name, image.getValue());
                Path sif = tmp.resolve(name + ".oci.sif");
                pull("pull", "--tls-verify=false", "docker://" + front.reference("test/" + name, "v1"), sif.toString())
                        .ok();
                Path reference = TreeComparison.referenceRootfs(
                        front.reference("test/" + name, "v1"), Optional.empty(), tmp.resolve("ref-" + name));
                assertEquals(
                        List.of(),
                        TreeComparison.compare(reference, unsquash(sif, "jrunc-" + name)),
                        name + ": jrunc's squashed tree against umoci's");
            }
            Path whiteouts = tmp.resolve("jrunc-whiteouts");
            assertEquals("new\n", Files.readString(whiteouts.resolve("data/replaced")));
            assertEquals("old\n", Files.readString(whiteouts.resolve("data/replaced-link")));
            assertEquals("target content\n", Files.readString(whiteouts.resolve("data/link")));
            assertEquals(List.of("upper"), files(whiteouts.resolve("opaque")));
        }
    }

    /** The host's image of a multi-arch index by default, another with --platform; the wrong one is named. */
    @Test
    void aMultiArchIndexGivesTheHostsImageOrTheOneAsked() throws Exception {
        OciLayout layout = TestImages.writeMultiArchLayout(
                tmp.resolve("layout"), "v1", TestImages.amd64AndArm64(ImageFixturesTest.everyKindOfEntry()));
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
            Skopeo.push(layout, registry.reference("multi", "v1"), Optional.empty())
                    .ok();
            String source = "docker://" + registry.reference("multi", "v1");
            Path host = tmp.resolve("host.oci.sif");
            pull("pull", "--tls-verify=false", source, host.toString()).ok();
            assertTrue(Files.exists(unsquash(host, "host").resolve("etc/plain")));
            Path arm = tmp.resolve("arm.oci.sif");
            pull("pull", "--tls-verify=false", "--platform", "linux/arm64", source, arm.toString())
                    .ok();
            assertTrue(Files.exists(unsquash(arm, "arm").resolve("etc/platform")));
            Jrunc.Result none = pull(
                    "pull",
                    "--tls-verify=false",
                    "--platform",
                    "linux/s390x",
                    source,
                    tmp.resolve("x.oci.sif").toString());
            none.fails();
            assertTrue(none.err().contains("no image for platform linux/s390x"), none.err());
            assertTrue(none.err().contains("linux/arm64/v8"), none.err());
        }
    }

    /**
     * docker://, oci:, oci-archive: and docker-archive: of one image give the same squashfs layer, and a pull into a
     * fresh cache gives the same OCI-SIF bytes again: the result is reproducible.
     */
    @Test
    void everySourceOfOneImageGivesTheSameSquashfsLayer() throws Exception {
        Image image = Image.of(
                Layer.of(LayerCompression.GZIP, LayerEntry.directory("etc"), LayerEntry.file("etc/a", "gzip\n")),
                Layer.of(LayerCompression.NONE, LayerEntry.file("etc/b", "none\n")));
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
            OciLayout layout = push(registry, "test/same", image);
            Path ociArchive = TestImages.ociArchive(layout, tmp.resolve("image.oci.tar"));
            Path dockerArchive = TestImages.dockerArchive(layout, tmp.resolve("image.docker.tar"), "test/same:v1");
            List<String> sources = List.of(
                    "docker://" + registry.reference("test/same", "v1"),
                    layout.transportReference(),
                    "oci-archive:" + ociArchive + ":v1",
                    "docker-archive:" + dockerArchive);
            List<String> digests = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                Path sif = tmp.resolve("s" + i + ".oci.sif");
                pull("pull", "--tls-verify=false", sources.get(i), sif.toString())
                        .ok();
                digests.add(layer(sif).digest().toString());
            }
            assertEquals(List.of(digests.get(0), digests.get(0), digests.get(0), digests.get(0)), digests);
            Path again = tmp.resolve("again.oci.sif");
            jrunc(
                            Map.of("JRUNC_CACHEDIR", tmp.resolve("cache2").toString()),
                            "pull",
                            layout.transportReference(),
                            again.toString())
                    .ok();
            assertArrayEquals(Files.readAllBytes(tmp.resolve("s1.oci.sif")), Files.readAllBytes(again));
        }
    }

    /** A blob that does not hash to its digest: refused naming it, and neither DEST nor any cache entry is left. */
    @Test
    void aTamperedBlobIsRefusedAndNothingIsKept() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            OciLayout layout = push(registry, "test/every", ImageFixturesTest.everyKindOfEntry());
            String layer = layout.amd64().layerDigests().get(0);
            front.tamperBlob(layer);
            Path dest = tmp.resolve("dest.oci.sif");
            Jrunc.Result refused = pull(
                    "pull", "--tls-verify=false", "docker://" + front.reference("test/every", "v1"), dest.toString());
            refused.fails();
            assertTrue(refused.err().contains(layer), refused.err());
            assertEquals(
                    1,
                    refused.err()
                            .strip()
                            .lines()
                            .filter(l -> l.contains("level=error"))
                            .count(),
                    refused.err());
            assertFalse(Files.exists(dest));
            assertFalse(Files.exists(cache().resolve("blobs/sha256/" + layer.substring(7))));
            assertEquals(List.of(), files(cache().resolve("oci-sif/sha256")));
            assertEquals(List.of(), files(cache().resolve("tmp")));
            assertEquals(
                    List.of(),
                    files(tmp).stream().filter(f -> f.startsWith(".dest")).toList());
        }
    }

    /** Hostile layers are refused in one line naming the entry, and leave no DEST. */
    @Test
    void hostileLayersAreRefusedNamingTheEntry() throws Exception {
        Map<String, Image> hostile = Map.of(
                "\"../escape\"",
                Image.of(Layer.of(LayerCompression.GZIP, LayerEntry.file("../escape", "x"))),
                "\"/etc/evil\"",
                Image.of(Layer.of(LayerCompression.GZIP, LayerEntry.file("/etc/evil", "x"))),
                "\"up/etc/passwd\"",
                Image.of(
                        Layer.of(LayerCompression.GZIP, LayerEntry.symlink("up", "/")),
                        Layer.of(LayerCompression.GZIP, LayerEntry.file("up/etc/passwd", "x"))));
        int i = 0;
        for (Map.Entry<String, Image> h : hostile.entrySet()) {
            OciLayout layout = TestImages.writeLayout(tmp.resolve("layout" + i), "v1", h.getValue());
            Path dest = tmp.resolve("hostile" + i + ".oci.sif");
            Jrunc.Result refused = pull("pull", layout.transportReference(), dest.toString());
            refused.fails();
            assertTrue(refused.err().contains("entry " + h.getKey().replace("\"", "\\\"")), refused.err());
            assertFalse(Files.exists(dest));
            assertEquals(List.of(), files(cache().resolve("oci-sif/sha256")));
            assertEquals(List.of(), files(cache().resolve("tmp")));
            i++;
        }
    }

    /** Two 429s (Retry-After: 1) on a blob, then it is served: the pull retries and succeeds. */
    @Test
    void tooManyRequestsAreRetried() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            OciLayout layout = push(registry, "test/every", ImageFixturesTest.everyKindOfEntry());
            front.failNextBlobGets(RegistryFront.FailedResponses.tooManyRequests(2, 1));
            pull(
                            "pull",
                            "--tls-verify=false",
                            "docker://" + front.reference("test/every", "v1"),
                            tmp.resolve("r.oci.sif").toString())
                    .ok();
            List<RegistryFront.Request> gets = front.requests().stream()
                    .filter(r -> r.method().equals("GET") && r.isBlob())
                    .toList();
            assertEquals(2, gets.stream().filter(r -> r.status() == 429).count(), front.describeRequests());
            for (RegistryFront.Request refused :
                    gets.stream().filter(r -> r.status() == 429).toList()) {
                assertTrue(
                        gets.stream().anyMatch(r -> r.path().equals(refused.path()) && r.status() == 200),
                        front.describeRequests());
            }
        }
    }

    /**
     * A registry behind bearer tokens: refused without credentials (one line saying so), pulled with an --authfile, and
     * with a credential helper named in a docker config; redirected blobs come from 127.0.0.2, which answers 400 to a
     * request that carries the Authorization header.
     */
    @Test
    void tokenAuthWithAnAuthFileOrACredentialHelper() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry).requireBearerTokens(USER)) {
            OciLayout layout = push(registry, "busybox", TestImages.busybox(LayerCompression.GZIP));
            front.redirectBlobs();
            String source = "docker://" + front.reference("busybox", "v1");
            Path home = Files.createDirectories(tmp.resolve("home"));
            Map<String, String> noCredentials = Map.of("HOME", home.toString(), "XDG_RUNTIME_DIR", home.toString());
            Jrunc.Result anonymous = jrunc(
                    noCredentials,
                    "pull",
                    "--tls-verify=false",
                    source,
                    tmp.resolve("a.sif").toString());
            anonymous.fails();
            assertTrue(anonymous.err().toLowerCase().contains("auth"), anonymous.err());

            Path authfile = tmp.resolve("auth.json");
            String basic = Base64.getEncoder()
                    .encodeToString((USER.user() + ":" + USER.password()).getBytes(StandardCharsets.UTF_8));
            Files.writeString(authfile, "{\"auths\":{\"" + front.address() + "\":{\"auth\":\"" + basic + "\"}}}");
            jrunc(
                            noCredentials,
                            "pull",
                            "--tls-verify=false",
                            "--authfile",
                            authfile.toString(),
                            source,
                            tmp.resolve("b.sif").toString())
                    .ok();
            assertTrue(front.blobStoreRequests().size() >= 2, front.describeRequests());
            assertTrue(front.blobStoreRequests().stream().allMatch(r -> r.status() == 200 && !r.hadAuthorization()));

            Path bin = Files.createDirectories(tmp.resolve("bin"));
            Path helper = bin.resolve("docker-credential-test");
            Files.writeString(
                    helper,
                    "#!/bin/sh\nread server\necho \"{\\\"ServerURL\\\":\\\"$server\\\",\\\"Username\\\":\\\""
                            + USER.user() + "\\\",\\\"Secret\\\":\\\"" + USER.password() + "\\\"}\"\n");
            helper.toFile().setExecutable(true);
            Path docker = Files.createDirectories(home.resolve(".docker"));
            Files.writeString(
                    docker.resolve("config.json"), "{\"credHelpers\":{\"" + front.address() + "\":\"test\"}}");
            Map<String, String> withHelper = new HashMap<>(noCredentials);
            withHelper.put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
            Files.delete(tmp.resolve("cache/oci-sif/sha256")
                    .resolve(files(tmp.resolve("cache/oci-sif/sha256")).get(0)));
            jrunc(
                            withHelper,
                            "pull",
                            "--tls-verify=false",
                            source,
                            tmp.resolve("c.sif").toString())
                    .ok();
        }
    }

    /** Two pulls of one image at once both succeed, and leave one consistent cache entry. */
    @Test
    void twoConcurrentPullsOfOneImageBothSucceed() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
            OciLayout layout = push(registry, "busybox", TestImages.busybox(LayerCompression.GZIP));
            String source = "docker://" + registry.reference("busybox", "v1");
            List<CompletableFuture<Jrunc.Result>> pulls = new ArrayList<>();
            for (String dest : List.of("one.oci.sif", "two.oci.sif")) {
                pulls.add(CompletableFuture.supplyAsync(() -> pull(
                        "pull", "--tls-verify=false", source, tmp.resolve(dest).toString())));
            }
            for (CompletableFuture<Jrunc.Result> p : pulls) {
                p.get().ok();
            }
            assertArrayEquals(
                    Files.readAllBytes(tmp.resolve("one.oci.sif")), Files.readAllBytes(tmp.resolve("two.oci.sif")));
            assertEquals(1, files(cache().resolve("oci-sif/sha256")).size());
            assertEquals(List.of(), files(cache().resolve("tmp")));
            Jrunc.Result list = pull("cache", "list").ok();
            assertEquals(2, list.out().lines().count(), list.out());
            assertTrue(list.out().contains(source), list.out());
        }
    }

    /**
     * A pull SIGKILLed while a layer streams leaves no DEST and no partial file beside it; the next pull sweeps what
     * the killed one staged and succeeds.
     */
    @Test
    void aKilledPullLeavesNoDestAndTheNextPullWorks() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            OciLayout layout = push(registry, "busybox", TestImages.busybox(LayerCompression.NONE));
            String layer = layout.amd64().layerDigests().get(0);
            front.throttleBlob(layer, 64 * 1024);
            Path destDir = Files.createDirectories(tmp.resolve("out"));
            List<String> cmd = List.of(
                    Jrunc.binary().toString(),
                    "pull",
                    "--tls-verify=false",
                    "docker://" + front.reference("busybox", "v1"),
                    destDir.resolve("busybox.oci.sif").toString());
            int status = KillableDownload.killWhileStreaming(cmd, env(), tmp.resolve("killed.log"), front, layer);
            assertEquals(137, status, "killed while the layer streamed");
            assertEquals(List.of(), files(destDir), "nothing at or beside DEST");
            assertFalse(files(cache().resolve("tmp")).isEmpty(), "the killed pull had staged a blob");
            front.throttleBlob(layer, Long.MAX_VALUE / 1000);
            pull(
                            "pull",
                            "--tls-verify=false",
                            "docker://" + front.reference("busybox", "v1"),
                            destDir.resolve("busybox.oci.sif").toString())
                    .ok();
            assertEquals(List.of("busybox.oci.sif"), files(destDir));
            assertEquals(List.of(), files(cache().resolve("tmp")));
        }
    }

    /**
     * A pull SIGKILLed right as DEST gets its name leaves DEST complete or absent, and no other file beside it: the copy
     * goes into an unnamed O_TMPFILE file, and linkat names it only after the last byte. strace holds the linkat's
     * return so that the kill lands there. Linking before the copy leaves a partial DEST here, and writing a named
     * temporary (DestinationFile's fallback for filesystems without O_TMPFILE) never reaches linkat: both fail this.
     */
    @Test
    void aPullKilledAsDestIsNamedLeavesItCompleteOrAbsent() throws Exception {
        OciLayout layout = TestImages.writeLayout(
                tmp.resolve("layout"), "v1", Image.of(Layer.of(LayerCompression.GZIP, LayerEntry.file("a", "a\n"))));
        Path destDir = Files.createDirectories(tmp.resolve("out"));
        Path dest = destDir.resolve("a.oci.sif");
        ProcessBuilder traced = new ProcessBuilder(
                        "strace",
                        "-f",
                        "-qq",
                        "-o",
                        "/dev/null",
                        "-e",
                        "trace=linkat",
                        "-e",
                        "inject=linkat:delay_exit=60000000",
                        Jrunc.binary().toString(),
                        "pull",
                        "--quiet",
                        layout.transportReference(),
                        dest.toString())
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("strace.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        traced.environment().putAll(env());
        Process strace = traced.start();
        try {
            long pid = awaitThreadIn(LINKAT, "org.jrunc.Main\0pull\0");
            ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        } finally {
            // strace stays behind a tracee killed during an injected delay, and holds it as a zombie until it ends
            strace.destroyForcibly();
            strace.waitFor();
        }
        for (int i = 0;
                i < 200
                        && !HostProcesses.withCommandLineContaining(dest.toString())
                                .isEmpty();
                i++) {
            Thread.sleep(50);
        }
        List<String> left = files(destDir);
        assertTrue(left.isEmpty() || left.equals(List.of("a.oci.sif")), "only DEST may be there: " + left);
        if (!left.isEmpty()) {
            Path cached;
            try (Stream<Path> sifs = Files.list(cache().resolve("oci-sif/sha256"))) {
                cached = sifs.findFirst().orElseThrow();
            }
            assertArrayEquals(Files.readAllBytes(cached), Files.readAllBytes(dest), "DEST is complete");
        }
        pull("pull", "--force", layout.transportReference(), dest.toString()).ok();
        assertEquals(List.of("a.oci.sif"), files(destDir));
    }

    /** linkat's number on this architecture (x86_64, aarch64). */
    private static final int LINKAT = System.getProperty("os.arch").equals("aarch64") ? 37 : 265;

    /** The pid of the process whose command line has {@code fragment}, once one of its threads is in {@code call}. */
    private static long awaitThreadIn(int call, String fragment) throws Exception {
        for (int i = 0; i < 600; i++) {
            for (long pid : HostProcesses.withCommandLineContaining(fragment)) {
                try (Stream<Path> tasks = Files.list(Path.of("/proc/" + pid + "/task"))) {
                    for (Path task : tasks.toList()) {
                        String syscall = Files.readString(task.resolve("syscall"))
                                .split(" ")[0]
                                .strip();
                        if (syscall.equals(Integer.toString(call))) {
                            return pid;
                        }
                    }
                } catch (IOException e) {
                    // the process or thread ended while it was read: look again
                }
            }
            Thread.sleep(50);
        }
        throw new AssertionError("no process with " + fragment.replace('\0', ' ') + " reached system call " + call);
    }

    /** A re-pull of an unchanged image asks the registry one HEAD and fetches nothing. */
    @Test
    void aCachedRePullOnlyHeadsTheManifest() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"));
                RegistryFront front = RegistryFront.start(registry)) {
            OciLayout layout = push(registry, "busybox", TestImages.busybox(LayerCompression.GZIP));
            String source = "docker://" + front.reference("busybox", "v1");
            pull(
                            "pull",
                            "--tls-verify=false",
                            source,
                            tmp.resolve("first.oci.sif").toString())
                    .ok();
            front.clearRequests();
            Jrunc.Result again = pull(
                            "pull",
                            "--tls-verify=false",
                            source,
                            tmp.resolve("second.oci.sif").toString())
                    .ok();
            assertTrue(again.err().contains("cached"), again.err());
            assertFalse(front.requests().stream().anyMatch(r -> r.isBlob()), front.describeRequests());
            assertFalse(
                    front.requests().stream()
                            .anyMatch(r -> r.isManifest() && r.method().equals("GET")),
                    front.describeRequests());
            assertEquals(
                    1,
                    front.requests().stream()
                            .filter(r -> r.isManifest() && r.method().equals("HEAD"))
                            .count(),
                    front.describeRequests());
            assertArrayEquals(
                    Files.readAllBytes(tmp.resolve("first.oci.sif")),
                    Files.readAllBytes(tmp.resolve("second.oci.sif")));
        }
    }

    /** `mount docker://… BUNDLE` pulls into the cache and mounts it; `run` runs the image's busybox. */
    @Test
    void mountAPullSourceThenRunIt() throws Exception {
        try (LocalRegistry registry = LocalRegistry.start(tmp.resolve("registry"))) {
            OciLayout layout = push(registry, "busybox", TestImages.busybox(LayerCompression.ZSTD));
            Path bundle = tmp.resolve("bundle");
            pull("mount", "--tls-verify=false", "docker://" + registry.reference("busybox", "v1"), bundle.toString())
                    .ok();
            try {
                String id = uniqueId("pulled");
                Path config = bundle.resolve("config.json");
                String json = Files.readString(config)
                        .replaceFirst("\"terminal\"\\s*:\\s*true", "\"terminal\": false")
                        .replaceFirst(
                                "\"args\"\\s*:\\s*\\[[^\\]]*\\]",
                                "\"args\": [\"sh\", \"-c\", \"echo pulled-and-running\"]");
                Files.writeString(config, json);
                Jrunc.Result run = jrunc.exec(env(), null, "run", "--bundle", bundle.toString(), id);
                assertEquals(0, run.exit(), run.err());
                assertEquals("pulled-and-running", run.out().strip());
            } finally {
                pull("umount", bundle.toString()).ok();
            }
        }
    }

    /**
     * Bad input, each one line with a non-zero exit: an existing DEST without --force (left as it was), a source that
     * is no transport, a tag the layout lacks, a pull flag on `mount` of a file. --force replaces DEST.
     */
    @Test
    void badInputIsOneLineAndLeavesNothing() throws Exception {
        OciLayout layout = TestImages.writeLayout(
                tmp.resolve("layout"), "v1", Image.of(Layer.of(LayerCompression.GZIP, LayerEntry.file("a", "a\n"))));
        Path dest = Files.writeString(tmp.resolve("exists.oci.sif"), "mine");
        Jrunc.Result exists = pull("pull", layout.transportReference(), dest.toString());
        exists.fails();
        assertTrue(exists.err().contains(dest + ": the file exists; give --force"), exists.err());
        assertEquals("mine", Files.readString(dest));
        assertEquals(List.of(), files(cache().resolve("blobs/sha256")), "refused before any transfer");

        Jrunc.Result noTransport =
                pull("pull", "busybox:latest", tmp.resolve("x.oci.sif").toString());
        noTransport.fails();
        assertTrue(noTransport.err().contains("\\\"busybox:latest\\\" is not an image source"), noTransport.err());

        Jrunc.Result noTag =
                pull("pull", layout.dir() + "", tmp.resolve("y.oci.sif").toString());
        noTag.fails();
        Jrunc.Result missingTag = pull(
                "pull", "oci:" + layout.dir() + ":v9", tmp.resolve("z.oci.sif").toString());
        missingTag.fails();
        assertTrue(missingTag.err().contains("no image named \\\"v9\\\" (it has: v1)"), missingTag.err());

        Jrunc.Result mountFlag = pull(
                "mount",
                "--platform",
                "linux/arm64",
                tmp.resolve("f.sif").toString(),
                tmp.resolve("b").toString());
        mountFlag.fails();
        assertTrue(mountFlag.err().contains("apply to a pull source"), mountFlag.err());

        pull("pull", "--force", layout.transportReference(), dest.toString()).ok();
        assertTrue(layer(dest).size() > 0, "--force replaced DEST with the OCI-SIF");
        assertEquals(
                List.of("exists.oci.sif"),
                files(tmp).stream().filter(f -> f.contains("exists")).toList());
    }

    /** `cache list` names each pulled source; `cache clean --all` empties the cache. */
    @Test
    void cacheListAndClean() throws Exception {
        OciLayout layout = TestImages.writeLayout(
                tmp.resolve("layout"), "v1", Image.of(Layer.of(LayerCompression.GZIP, LayerEntry.file("a", "a\n"))));
        pull("pull", layout.transportReference(), tmp.resolve("a.oci.sif").toString())
                .ok();
        Jrunc.Result list = pull("cache", "list").ok();
        assertTrue(list.out().contains(layout.transportReference()), list.out());
        Jrunc.Result kept = pull("cache", "clean").ok();
        assertTrue(kept.out().startsWith("removed 0 images and 0 files"), kept.out());
        Jrunc.Result clean = pull("cache", "clean", "--all").ok();
        assertTrue(clean.out().startsWith("removed 1 image and "), clean.out());
        assertEquals(List.of(), files(cache().resolve("blobs/sha256")));
        assertEquals(List.of(), files(cache().resolve("oci-sif/sha256")));
        assertEquals(1, pull("cache", "list").ok().out().lines().count());
        Jrunc.Result badAge = pull("cache", "clean", "--older-than", "7y");
        badAge.fails();
        assertTrue(badAge.err().contains("--older-than"), badAge.err());
    }
}
