package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jrunc.sif.FsType;
import org.jrunc.sif.SifImage;
import org.jrunc.sifbundle.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * `jrunc mount IMAGE BUNDLE` / `jrunc umount BUNDLE` with real images: the loop device, squashfs and overlay mounts
 * the kernel shows, containers run from the generated config, writes landing in overlay/upper, and nothing left
 * behind by umount, by a failed mount, or by umount after the mounts vanished (a reboot).
 */
class SifMountTest extends SpecTest {
    static final String BUSYBOX = "sylabs-singularity/busybox_amd64.sif";
    private static final String TAR_OCI_SIF = "sylabs-oci-tools/TestWrite-DockerManifest.oci.sif";
    private static final String WHITEOUT_LAYER_LAYOUT = "sylabs-oci-tools/oci-layout-overlayfs-docker-v2-manifest";

    private Path image;
    private final List<Path> bundles = new ArrayList<>();

    static Path fixture(String relative) {
        Path p = Path.of(System.getProperty("jrunc.fixtures", "/work/shared/fixtures/sif"))
                .resolve(relative);
        assumeTrue(Files.exists(p), "fixture not available: " + p);
        return p;
    }

    @BeforeEach
    void copyImage() throws IOException {
        image = Files.copy(fixture(BUSYBOX), tmp.resolve("busybox_amd64.sif"));
    }

    /** A failed test must not leave mounts for the leftover check (or the host): containers first, then bundles. */
    @AfterEach
    void umountWhatIsLeft() throws IOException {
        if (Files.isDirectory(jrunc.root())) {
            try (Stream<Path> s = Files.list(jrunc.root())) {
                s.forEach(p -> jrunc.run("delete", "--force", p.getFileName().toString()));
            }
        }
        for (Path b : bundles) {
            if (Files.exists(b.resolve(".jrunc-mount.json"))) {
                jrunc.run("umount", b.toString());
            }
        }
    }

    private Path newBundle(String name) {
        Path b = tmp.resolve(name);
        bundles.add(b);
        return b;
    }

    private Path mount(Path img, String name, String... flags) {
        Path b = newBundle(name);
        List<String> args = new ArrayList<>(List.of("mount"));
        args.addAll(List.of(flags));
        args.addAll(List.of(img.toString(), b.toString()));
        jrunc.run(args.toArray(new String[0])).ok();
        return b;
    }

    private String oneLineError(Jrunc.Result r) {
        assertEquals(1, r.exit());
        String err = r.err().trim();
        assertEquals(1, err.lines().count(), "one line: " + err);
        return err;
    }

    private static ObjectNode config(Path bundle) throws IOException {
        return (ObjectNode) Bundle.JSON.readTree(bundle.resolve("config.json").toFile());
    }

    /** The generated config asks for a terminal, as Singularity's does; these tests read plain output. */
    private static void noTerminal(Path bundle) throws IOException {
        ObjectNode c = config(bundle);
        ((ObjectNode) c.get("process")).put("terminal", false);
        Bundle.JSON
                .writerWithDefaultPrettyPrinter()
                .writeValue(bundle.resolve("config.json").toFile(), c);
    }

    /** The process's args, and no terminal. */
    private static void setArgs(Path bundle, String... args) throws IOException {
        ObjectNode c = config(bundle);
        ((ObjectNode) c.get("process")).put("terminal", false);
        ArrayNode a = ((ObjectNode) c.get("process")).putArray("args");
        for (String s : args) {
            a.add(s);
        }
        Bundle.JSON
                .writerWithDefaultPrettyPrinter()
                .writeValue(bundle.resolve("config.json").toFile(), c);
    }

    private String runIn(Path bundle, String... args) throws IOException {
        setArgs(bundle, args);
        Jrunc.Result r = jrunc.run("run", "--bundle", bundle.toString(), uniqueId("sif"));
        assertEquals(0, r.exit(), r.out() + r.err());
        return r.out();
    }

    /** Loop devices reading {@code file}, as /sys/block shows them ("loopN offset sizelimit"). */
    static List<String> loopsOf(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Path backing = p.resolve("loop/backing_file");
                if (p.getFileName().toString().startsWith("loop")
                        && Files.exists(backing)
                        && Files.readString(backing)
                                .trim()
                                .equals(file.toRealPath().toString())) {
                    out.add(p.getFileName() + " "
                            + Files.readString(p.resolve("loop/offset")).trim() + " "
                            + Files.readString(p.resolve("loop/sizelimit")).trim());
                }
            }
        }
        return out;
    }

    /** (type, source) of each mount on {@code path}, bottom first. */
    static List<String> mountsOn(Path path) throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] pre = line.substring(0, line.indexOf(" - ")).split(" ");
            String[] post = line.substring(line.indexOf(" - ") + 3).split(" ");
            if (pre[4].equals(path.toString())) {
                out.add(post[0] + " " + post[1]);
            }
        }
        return out;
    }

    private void umountLeavesNothing(Path bundle) throws IOException {
        jrunc.run("umount", bundle.toString()).ok();
        assertFalse(Files.exists(bundle), "umount removes the bundle it created");
        assertTrue(Files.exists(image), "the image stays");
        assertEquals(List.of(), loopsOf(image));
        assertNothingLeft();
    }

    @Test
    void busyboxRunsFromTheMountedImageAndWritesLandInTheOverlay() throws Exception {
        Path b = mount(image, "bundle");
        Path rootfs = b.resolve("rootfs");
        assertEquals(
                List.of("squashfs " + "/dev/" + loopsOf(image).get(0).split(" ")[0], "overlay overlay"),
                mountsOn(rootfs));
        assertEquals(
                List.of(loopsOf(image).get(0).split(" ")[0] + " 45056 745472"),
                loopsOf(image),
                "one read-only loop device at the partition's offset and size");
        JsonNode c = config(b);
        assertEquals("rootfs", c.get("root").get("path").asText(), "relative to the bundle, as Singularity writes it");
        assertFalse(c.get("root").get("readonly").asBoolean());
        assertTrue(c.get("process").get("terminal").asBoolean(), "a terminal, as Singularity's default config has");
        assertEquals("[\"sh\"]", c.get("process").get("args").toString(), "Cmd of the image's oci-config.json");

        // create + start: the container's stdout is the stdout create was given
        setArgs(b, "/bin/echo", "hello from busybox_amd64.sif");
        String id = uniqueId("echo");
        Path out = tmp.resolve("echo.out");
        createWithStdout(b, id, out);
        jrunc.run("start", id).ok();
        awaitStopped(id);
        assertEquals("hello from busybox_amd64.sif\n", Files.readString(out));
        jrunc.run("delete", id).ok();

        assertEquals(
                "written\n", runIn(b, "sh", "-c", "echo written > /etc/from-container && cat /etc/from-container"));
        assertEquals(
                "written\n",
                Files.readString(b.resolve("overlay/upper/etc/from-container")),
                "the write went to overlay/upper");
        assertTrue(Files.exists(rootfs.resolve("bin/busybox")), "the image is visible through the overlay");
        umountLeavesNothing(b);
    }

    @Test
    void theGeneratedConfigRunsTheImagesOwnCommand() throws Exception {
        Path b = mount(image, "bundle");
        noTerminal(b);
        // Cmd ["sh"] with stdin at end of file: a shell that exits 0
        Jrunc.Result r = jrunc.run("run", "--bundle", b.toString(), uniqueId("cmd"));
        assertEquals(0, r.exit(), r.out() + r.err());
        umountLeavesNothing(b);
    }

    @Test
    void umountWorksAfterTheMountsVanished() throws Exception {
        Path b = mount(image, "bundle");
        runIn(b, "touch", "/state");
        // a reboot: the mounts (and with them the autoclear loop device) are gone, the files stay
        for (int i = 0; i < 2; i++) {
            assertEquals(
                    0,
                    Jrunc.raw(List.of("umount", "-l", b.resolve("rootfs").toString()), Map.of(), null, 30)
                            .exit());
        }
        for (int i = 0; i < 100 && !loopsOf(image).isEmpty(); i++) {
            Thread.sleep(20);
        }
        assertTrue(Files.exists(b.resolve("overlay/upper/state")));
        umountLeavesNothing(b);
    }

    @Test
    void umountRefusesADirectoryMountDidNotMake() throws Exception {
        Path plain =
                Files.createDirectories(newBundle("plain").resolve("rootfs")).getParent();
        Files.writeString(plain.resolve("config.json"), "{}");
        String err = oneLineError(jrunc.run("umount", plain.toString()));
        assertTrue(err.contains("no .jrunc-mount.json") && err.contains("refusing"), err);
        assertTrue(Files.isDirectory(plain.resolve("rootfs")) && Files.exists(plain.resolve("config.json")));
        assertNothingLeft();
    }

    @Test
    void filesMountDidNotMakeKeepTheBundleDirectory() throws Exception {
        Path b = mount(image, "bundle");
        Files.writeString(b.resolve("notes.txt"), "mine");
        Jrunc.Result r = jrunc.run("umount", b.toString()).ok();
        assertTrue(r.err().contains("kept " + b), r.err());
        try (Stream<Path> s = Files.list(b)) {
            assertEquals(List.of(b.resolve("notes.txt")), s.toList());
        }
        assertNothingLeft();
    }

    /** Fails on 17985a3: root.path was absolute, so the moved bundle named a rootfs that was no longer there. */
    @Test
    void aMountedBundleRunsAfterItIsMoved() throws Exception {
        Path b = mount(image, "bundle");
        Path moved = Files.move(b, b.resolveSibling("moved"));
        setArgs(moved, "sh", "-c", "echo moved > /etc/after-move; cat /etc/after-move");
        Jrunc.Result r = jrunc.run("run", "--bundle", moved.toString(), uniqueId("moved"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("moved\n", r.out());
        assertEquals("moved\n", Files.readString(moved.resolve("overlay/upper/etc/after-move")));
        umountLeavesNothing(moved);
    }

    @Test
    void umountRefusesWhileAContainerStillUsesTheBundle() throws Exception {
        Path b = mount(image, "bundle");
        setArgs(b, "sleep", "1000");
        String id = uniqueId("busy");
        jrunc.run("create", "--bundle", b.toString(), id).ok();
        String err = oneLineError(jrunc.run("umount", b.toString()));
        assertTrue(err.contains("in another mount namespace"), err);
        assertTrue(Files.exists(b.resolve("config.json")), "nothing was deleted");
        jrunc.run("delete", "--force", id).ok();
        umountLeavesNothing(b);
    }

    @Test
    void anOciSifWithTarLayersIsRefusedAndLeavesNothing() throws Exception {
        Path oci = Files.copy(fixture(TAR_OCI_SIF), tmp.resolve("tar.oci.sif"));
        Path b = newBundle("bundle");
        String err = oneLineError(jrunc.run("mount", oci.toString(), b.toString()));
        assertTrue(
                err.contains("application/vnd.docker.image.rootfs.diff.tar.gzip")
                        && err.contains("only application/vnd.sylabs.image.layer.v1.squashfs layers can be mounted"),
                err);
        assertFalse(Files.exists(b));
        assertEquals(List.of(), loopsOf(oci));
        assertNothingLeft();
    }

    @Test
    void aPrimaryPartitionThatIsNotSquashfsIsRefused() throws Exception {
        Path ext3 = TestImages.nativeSif(tmp.resolve("ext3.sif"), FsType.EXT3, new byte[64 * 1024], null);
        Path b = newBundle("bundle");
        String err = oneLineError(jrunc.run("mount", ext3.toString(), b.toString()));
        assertTrue(err.contains("is Ext3") && err.contains("only a squashfs root filesystem can be mounted"), err);
        assertFalse(Files.exists(b));
        assertNothingLeft();
    }

    @Test
    void anOciSifWithSquashfsLayersIsStackedAndConfigured() throws Exception {
        byte[] busybox = primaryPartition(image);
        byte[] whiteoutLayer = squashfsBlobOf(fixture(WHITEOUT_LAYER_LAYOUT));
        Path oci = TestImages.ociSif(
                tmp.resolve("busybox.oci.sif"),
                "{\"Entrypoint\":[\"/bin/sh\",\"-c\"],"
                        + "\"Cmd\":[\"echo $FOO in $(pwd); ls -d /dir\"],\"Env\":[\"FOO=bar\"],\"WorkingDir\":\"/tmp\","
                        + "\"User\":\"nobody\",\"Volumes\":{\"/data\":{}}}",
                TestImages.Layer.squashfs(busybox),
                TestImages.Layer.squashfs(whiteoutLayer));
        Path b = mount(oci, "bundle");
        List<String> loops = loopsOf(oci);
        assertEquals(2, loops.size(), "one loop device per layer: " + loops);
        assertTrue(
                loops.stream()
                        .anyMatch(l -> !l.split(" ")[1].equals("0") && Long.parseLong(l.split(" ")[1]) % 512 != 0),
                "layers sit at unaligned offsets: " + loops);
        assertEquals(List.of("overlay overlay"), mountsOn(b.resolve("rootfs")));
        JsonNode c = config(b);
        assertEquals(65534, c.get("process").get("user").get("uid").asInt(), "nobody from the image's /etc/passwd");
        noTerminal(b);
        Jrunc.Result r = jrunc.run("run", "--bundle", b.toString(), uniqueId("oci"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("bar in /tmp\n/dir\n", r.out());
        assertTrue(Files.isDirectory(b.resolve("volumes/_data")));
        umountLeavesNothing(b);
    }

    @Test
    void volumesAreBindMountedFromTheBundle() throws Exception {
        Path img = TestImages.nativeSif(
                tmp.resolve("vol.sif"),
                FsType.SQUASHFS,
                primaryPartition(image),
                "{\"Cmd\":[\"sh\",\"-c\",\"echo kept > /var/lib/db/file\"],\"Volumes\":{\"/var/lib/db\":{}}}");
        Path b = mount(img, "bundle");
        noTerminal(b);
        Jrunc.Result r = jrunc.run("run", "--bundle", b.toString(), uniqueId("vol"));
        assertEquals(0, r.exit(), r.out() + r.err());
        assertEquals("kept\n", Files.readString(b.resolve("volumes/_var_lib_db/file")));
        jrunc.run("umount", b.toString()).ok();
        assertFalse(Files.exists(b));
        assertNothingLeft();
    }

    @Test
    void squashfuseMountsWithoutLoopDevices() throws Exception {
        for (String tool : List.of("squashfuse", "fuse-overlayfs", "fusermount")) {
            assumeTrue(
                    Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool))),
                    tool + " not installed");
        }
        Path b = mount(image, "bundle", "--squashfuse");
        assertEquals(List.of("fuse.squashfuse squashfuse"), mountsOn(b.resolve("layers/0")));
        assertEquals(List.of("fuse.fuse-overlayfs fuse-overlayfs"), mountsOn(b.resolve("rootfs")));
        assertEquals(List.of(), loopsOf(image));
        assertEquals("via fuse\n", runIn(b, "sh", "-c", "echo via fuse > /f && cat /f"));
        assertTrue(Files.exists(b.resolve("overlay/upper/f")));
        umountLeavesNothing(b);
    }

    @Test
    void aSecondMountIntoTheSameBundleIsRefused() throws Exception {
        Path b = mount(image, "bundle");
        String err = oneLineError(jrunc.run("mount", image.toString(), b.toString()));
        assertTrue(err.contains("already mounted"), err);
        umountLeavesNothing(b);
    }

    static byte[] primaryPartition(Path sif) {
        try (SifImage s = SifImage.open(sif)) {
            return s.readBytes(s.primaryPartition().orElseThrow(), 16 << 20);
        }
    }

    /** The one squashfs layer of an OCI layout (a directory with /dir and a whiteout of /file). */
    private static byte[] squashfsBlobOf(Path layout) throws IOException {
        try (Stream<Path> s = Files.list(layout.resolve("blobs/sha256"))) {
            for (Path blob : (Iterable<Path>) s::iterator) {
                byte[] data = Files.readAllBytes(blob);
                if (data.length > 4 && data[0] == 'h' && data[1] == 's' && data[2] == 'q' && data[3] == 's') {
                    return data;
                }
            }
        }
        throw new AssertionError("no squashfs blob in " + layout);
    }

    /** `create` with its stdout (which the container inherits) going to {@code out}. */
    private void createWithStdout(Path bundle, String id, Path out) throws Exception {
        Process p = new ProcessBuilder(
                        Jrunc.binary().toString(),
                        "--root",
                        jrunc.root().toString(),
                        "create",
                        "--bundle",
                        bundle.toString(),
                        id)
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "create timed out");
        assertEquals(0, p.exitValue(), "create failed");
    }

    private void awaitStopped(String id) throws InterruptedException {
        for (int i = 0; i < 400; i++) {
            Jrunc.Result s = jrunc.run("state", id);
            if (s.exit() == 0 && Bundle.parse(s.out()).get("status").asText().equals("stopped")) {
                return;
            }
            Thread.sleep(25);
        }
        throw new AssertionError(id + " did not stop");
    }
}
