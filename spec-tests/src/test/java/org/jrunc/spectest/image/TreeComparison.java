package org.jrunc.spectest.image;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.jrunc.spectest.Jrunc;

/**
 * Two directory trees compared file by file: type, mode (all bits), uid, gid, size, sha256 of a regular file's
 * content, symlink target, mtime in seconds, xattrs (all but security.selinux, which the host's LSM sets) and hard-link
 * groups (the paths that share a file's inode). The root's own mtime is left out: unpackers create it. Also the two
 * ways to get such a tree: the reference (skopeo copy + umoci raw unpack, as root) of an image in a registry, and a
 * squashfs unpacked as root.
 */
public final class TreeComparison {
    private static final String SELINUX = "security.selinux";

    /** One difference: {@code path} (relative, "." for the root), what differs, and both values ("-" for absent). */
    public record Difference(String path, String field, String expected, String actual) {
        @Override
        public String toString() {
            return path + ": " + field + " expected " + expected + ", got " + actual;
        }
    }

    private record Node(
            String type,
            String mode,
            int uid,
            int gid,
            long size,
            String sha256,
            String linkTarget,
            long mtime,
            String xattrs,
            String hardLinks) {}

    private TreeComparison() {}

    /** What differs between {@code expected} and {@code actual}, in path order; empty when they are equal. */
    public static List<Difference> compare(Path expected, Path actual) throws IOException {
        SortedMap<String, Node> want = snapshot(expected);
        SortedMap<String, Node> got = snapshot(actual);
        List<Difference> out = new ArrayList<>();
        SortedMap<String, Boolean> paths = new TreeMap<>();
        want.keySet().forEach(p -> paths.put(p, true));
        got.keySet().forEach(p -> paths.put(p, true));
        for (String path : paths.keySet()) {
            Node w = want.get(path);
            Node g = got.get(path);
            if (w == null || g == null) {
                out.add(new Difference(path, "presence", w == null ? "-" : w.type, g == null ? "-" : g.type));
                continue;
            }
            field(out, path, "type", w.type, g.type);
            field(out, path, "mode", w.mode, g.mode);
            field(out, path, "uid", w.uid, g.uid);
            field(out, path, "gid", w.gid, g.gid);
            field(out, path, "size", w.size, g.size);
            field(out, path, "sha256", w.sha256, g.sha256);
            field(out, path, "symlink target", w.linkTarget, g.linkTarget);
            if (!path.equals(".")) {
                field(out, path, "mtime", w.mtime, g.mtime);
            }
            field(out, path, "xattrs", w.xattrs, g.xattrs);
            field(out, path, "hard links", w.hardLinks, g.hardLinks);
        }
        return out;
    }

    private static void field(List<Difference> out, String path, String name, Object want, Object got) {
        String w = String.valueOf(want);
        String g = String.valueOf(got);
        if (!w.equals(g)) {
            out.add(new Difference(path, name, w, g));
        }
    }

    private static SortedMap<String, Node> snapshot(Path root) throws IOException {
        Map<String, Map<String, Object>> attributes = new TreeMap<>();
        Map<Object, List<String>> byInode = new TreeMap<>((a, b) -> a.toString().compareTo(b.toString()));
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                String rel = p.equals(root) ? "." : root.relativize(p).toString();
                Map<String, Object> unix = Files.readAttributes(p, "unix:*", LinkOption.NOFOLLOW_LINKS);
                attributes.put(rel, unix);
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (Integer) unix.get("nlink") > 1) {
                    byInode.computeIfAbsent(unix.get("dev") + ":" + unix.get("ino"), k -> new ArrayList<>())
                            .add(rel);
                }
            }
        }
        Map<String, String> hardLinks = new TreeMap<>();
        byInode.values().forEach(group -> group.forEach(p -> hardLinks.put(p, String.join(" ", group))));
        SortedMap<String, Node> nodes = new TreeMap<>();
        for (Map.Entry<String, Map<String, Object>> e : attributes.entrySet()) {
            Path p = root.resolve(e.getKey()).normalize();
            nodes.put(e.getKey(), node(p, e.getValue(), hardLinks.getOrDefault(e.getKey(), "-")));
        }
        return nodes;
    }

    private static Node node(Path p, Map<String, Object> unix, String hardLinks) throws IOException {
        int mode = (Integer) unix.get("mode");
        String type = typeOf(p);
        boolean regular = type.equals("file");
        return new Node(
                type,
                String.format("%06o", mode),
                (Integer) unix.get("uid"),
                (Integer) unix.get("gid"),
                regular ? (Long) unix.get("size") : 0,
                regular ? sha256(p) : "-",
                type.equals("symlink") ? Files.readSymbolicLink(p).toString() : "-",
                ((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond(),
                describe(Xattrs.of(p)),
                hardLinks);
    }

    private static String typeOf(Path p) {
        if (Files.isSymbolicLink(p)) {
            return "symlink";
        }
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return "directory";
        }
        if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            return "file";
        }
        return "special";
    }

    private static String describe(Map<String, byte[]> xattrs) {
        List<String> parts = new ArrayList<>();
        xattrs.forEach((name, value) -> {
            if (!name.equals(SELINUX)) {
                parts.add(name + "=" + printable(value));
            }
        });
        return parts.isEmpty() ? "-" : String.join(",", parts);
    }

    private static String printable(byte[] value) {
        for (byte b : value) {
            if (b < 0x20 || b > 0x7e) {
                return "0x" + HexFormat.of().formatHex(value);
            }
        }
        return new String(value, StandardCharsets.US_ASCII);
    }

    private static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The reference tree of an image in a (plain HTTP) registry, as Singularity's own tools see it: {@code skopeo copy
     * docker://REFERENCE oci:WORK/oci:ref} (the host's platform; layers recompressed to gzip, as umoci 0.4.7 reads
     * no zstd) and {@code umoci raw unpack} into WORK/rootfs, as root so that owners and xattrs are kept.
     */
    public static Path referenceRootfs(String reference, Optional<Credentials> credentials, Path work)
            throws IOException {
        Path layout = work.resolve("oci");
        Path rootfs = work.resolve("rootfs");
        Jrunc.Result copy = Skopeo.pullToGzipLayout(reference, layout, "ref", credentials);
        if (copy.exit() != 0) {
            throw new AssertionError("skopeo copy of " + reference + " failed: " + copy.err());
        }
        run(List.of("umoci", "raw", "unpack", "--image", layout + ":ref", rootfs.toString()));
        return rootfs;
    }

    /**
     * A squashfs file (or one at {@code offset} bytes into a file, such as an OCI-SIF's layer) unpacked into the new
     * directory {@code dir} with unsquashfs, as root: owners, modes, times, xattrs and hard links kept.
     */
    public static Path unsquash(Path file, long offset, Path dir) {
        run(List.of("unsquashfs", "-q", "-n", "-offset", Long.toString(offset), "-d", dir.toString(), file.toString()));
        return dir;
    }

    private static void run(List<String> cmd) {
        Jrunc.Result r = Jrunc.raw(cmd, Map.of(), null, 300);
        if (r.exit() != 0) {
            throw new AssertionError(cmd + " failed (exit " + r.exit() + "): " + r.err() + r.out());
        }
    }
}
