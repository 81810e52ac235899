package org.jrunc.image.squash;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.jrunc.sif.OciDigest;
import org.jrunc.sys.HostPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One image with every whiteout and replacement case, squashed into a squashfs and loop-mounted, against
 * {@code umoci raw unpack} of the same layers, file by file: type, mode, owner, size, content, link target, mtime,
 * user xattrs and which names are hard links of each other. Needs root (umoci keeps owners only as root; the mount).
 * Break-check: making the opaque whiteout a no-op, or letting a whiteout apply to its own layer's entries, fails it.
 */
class UmociComparisonTest {
    /** Directories no entry names: umoci creates them at the time of unpacking, the squash at time 0. */
    private static final Set<String> IMPLICIT = Set.of("imp", "imp/x");

    @TempDir
    Path dir;

    private List<LayerBlob> writeLayers(Path blobs) throws IOException {
        LayerBlob base = new TestLayer()
                .dir("etc")
                .file("etc/a", "a")
                .file("etc/b", "b")
                .file("etc/keep", "keep")
                .dir("opt")
                .dir("opt/x")
                .file("opt/x/y", "y")
                .file("opt/z", "z")
                .symlink("s", "etc/b")
                .file("p", "file")
                .dir("d")
                .file("d/x", "x")
                .file("hl", "shared")
                .with(e -> e.addPaxHeader("SCHILY.xattr.user.k", "v"))
                .hardlink("hl2", "hl")
                .hardlink("hl3", "hl")
                .file("rep", "old")
                .hardlink("rep2", "rep")
                .dir("srv")
                .with(e -> {
                    e.setMode(040700);
                    e.setUserId(5);
                })
                .file("srv/f", "setuid")
                .with(e -> {
                    e.setMode(0104755);
                    e.setUserId(1000);
                    e.setGroupId(1000);
                })
                .file("w", "lower w")
                .fifo("ff")
                .gzip(blobs);
        LayerBlob middle = new TestLayer()
                .whiteout("etc/a")
                .opaque("opt")
                .file("opt/new", "new")
                .file("s", "was a symlink")
                .dir("p")
                .file("p/c", "c")
                .file("d", "was a directory")
                .whiteout("hl")
                .file("rep", "new")
                .dir("srv")
                .with(e -> {
                    e.setMode(040750);
                    e.setUserId(6);
                    e.setLastModifiedTime(FileTime.fromMillis(1_500_000_000_000L));
                    e.addPaxHeader("SCHILY.xattr.user.dir", "x");
                })
                .file("imp/x/y", "implicit parents")
                .hardlink("lk", "etc/keep")
                .gzip(blobs);
        LayerBlob top = new TestLayer()
                .file("p", "file again")
                .whiteout("w")
                .file("w", "upper w")
                .file("t", "1")
                .file("t", "2")
                .gzip(blobs);
        return List.of(base, middle, top);
    }

    @Test
    void theSquashfsShowsWhatUmociUnpacks() throws IOException {
        assumeTrue("root".equals(System.getProperty("user.name")), "umoci keeps owners and mount works only as root");
        assumeTrue(HostPath.find("umoci").isPresent(), "umoci is not installed");
        Path layout = dir.resolve("layout");
        Path blobs = Files.createDirectories(layout.resolve("blobs/sha256"));
        List<LayerBlob> layers = writeLayers(blobs);
        writeLayout(layout, layers);
        Path unpacked = dir.resolve("umoci");
        SquashfsBuilderTest.run("umoci", "raw", "unpack", "--image", layout + ":test", unpacked.toString());

        Path image = dir.resolve("image.sqfs");
        SquashfsBuilder.build(tar -> LayerSquasher.squash(layers, new SquashOptions(true), tar), image);
        Path mount = Files.createDirectories(dir.resolve("mnt"));
        SquashfsBuilderTest.run("mount", "-t", "squashfs", "-o", "loop,ro", image.toString(), mount.toString());
        try {
            Map<String, String> expected = describe(unpacked);
            Map<String, String> actual = describe(mount);
            assertEquals(String.join("\n", expected.values()), String.join("\n", actual.values()));
            assertEquals(linkGroups(unpacked), linkGroups(mount));
            assertEquals(
                    Set.of(
                            "etc",
                            "etc/b",
                            "etc/keep",
                            "opt",
                            "opt/new",
                            "s",
                            "p",
                            "d",
                            "hl2",
                            "hl3",
                            "rep",
                            "rep2",
                            "srv",
                            "srv/f",
                            "w",
                            "ff",
                            "imp",
                            "imp/x",
                            "imp/x/y",
                            "lk",
                            "t"),
                    expected.keySet());
        } finally {
            SquashfsBuilderTest.run("umount", mount.toString());
        }
    }

    /** One line per path: everything but the inode number. */
    private static Map<String, String> describe(Path root) throws IOException {
        Map<String, String> lines = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> !p.equals(root)).toList()) {
                String name = root.relativize(path).toString();
                Map<String, Object> a = Files.readAttributes(
                        path, "unix:mode,uid,gid,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                StringBuilder line = new StringBuilder(name)
                        .append(" mode=")
                        .append(Integer.toOctalString((Integer) a.get("mode")))
                        .append(" owner=")
                        .append(a.get("uid"))
                        .append(':')
                        .append(a.get("gid"));
                if (!IMPLICIT.contains(name)) {
                    line.append(" mtime=").append(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000);
                }
                if (Files.isSymbolicLink(path)) {
                    line.append(" -> ").append(Files.readSymbolicLink(path));
                } else {
                    if (Files.isRegularFile(path, LinkOption.NOFOLLOW_LINKS)) {
                        line.append(" size=")
                                .append(a.get("size"))
                                .append(" content=")
                                .append(Files.readString(path));
                    }
                    if (!name.equals("ff")) {
                        line.append(" xattrs=").append(userXattrs(path));
                    }
                }
                lines.put(name, line.toString());
            }
        }
        return lines;
    }

    private static Map<String, String> userXattrs(Path path) throws IOException {
        UserDefinedFileAttributeView view = Files.getFileAttributeView(path, UserDefinedFileAttributeView.class);
        Map<String, String> xattrs = new TreeMap<>();
        for (String name : view.list()) {
            ByteBuffer value = ByteBuffer.allocate(view.size(name));
            view.read(name, value);
            xattrs.put(name, new String(value.array(), StandardCharsets.UTF_8));
        }
        return xattrs;
    }

    /** The sets of names that share an inode, where there is more than one. */
    private static Set<Set<String>> linkGroups(Path root) throws IOException {
        Map<Long, Set<String>> byInode = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS))
                    .toList()) {
                Object inode = Files.getAttribute(path, "unix:ino", LinkOption.NOFOLLOW_LINKS);
                byInode.computeIfAbsent((Long) inode, k -> new TreeSet<>())
                        .add(root.relativize(path).toString());
            }
        }
        Set<Set<String>> groups = new HashSet<>();
        for (Set<String> group : byInode.values()) {
            if (group.size() > 1) {
                groups.add(group);
            }
        }
        return groups;
    }

    private static void writeLayout(Path layout, List<LayerBlob> layers) throws IOException {
        List<String> diffIds = new ArrayList<>();
        List<String> descriptors = new ArrayList<>();
        for (LayerBlob layer : layers) {
            try (InputStream tar = new GZIPInputStream(Files.newInputStream(layer.file()))) {
                diffIds.add("\"" + OciDigest.sha256(tar.readAllBytes()) + "\"");
            }
            descriptors.add(descriptor(layer.mediaType(), layer.digest(), Files.size(layer.file()), ""));
        }
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},"
                + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[" + String.join(",", diffIds) + "]}}";
        LayerBlob configBlob = blob(layout, config, "application/vnd.oci.image.config.v1+json");
        String manifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":" + descriptor(configBlob.mediaType(), configBlob.digest(), config.length(), "")
                + ",\"layers\":[" + String.join(",", descriptors) + "]}";
        LayerBlob manifestBlob = blob(layout, manifest, "application/vnd.oci.image.manifest.v1+json");
        Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        Files.writeString(
                layout.resolve("index.json"),
                "{\"schemaVersion\":2,\"manifests\":["
                        + descriptor(
                                manifestBlob.mediaType(),
                                manifestBlob.digest(),
                                manifest.length(),
                                ",\"annotations\":{\"org.opencontainers.image.ref.name\":\"test\"}")
                        + "]}");
    }

    private static LayerBlob blob(Path layout, String json, String mediaType) throws IOException {
        return TestLayer.blob(layout.resolve("blobs/sha256"), json.getBytes(StandardCharsets.UTF_8), mediaType);
    }

    private static String descriptor(String mediaType, OciDigest digest, long size, String extra) {
        return "{\"mediaType\":\"" + mediaType + "\",\"digest\":\"" + digest + "\",\"size\":" + size + extra + "}";
    }
}
