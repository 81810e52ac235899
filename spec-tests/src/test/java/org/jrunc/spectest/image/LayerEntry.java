package org.jrunc.spectest.image;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;

/**
 * One entry of a test layer's tar: what it is, its path (relative, no leading slash), content or link target, and the
 * metadata an image keeps (mode with setuid/setgid/sticky, numeric owner, mtime in seconds, xattrs as PAX
 * SCHILY.xattr records). Whiteouts are ordinary empty files named as the OCI image spec names them.
 */
public record LayerEntry(
        Type type,
        String path,
        byte[] content,
        String linkTarget,
        int mode,
        int uid,
        int gid,
        long mtimeSeconds,
        Map<String, String> xattrs) {

    /** 2023-11-14T22:13:20Z: a fixed time, so the same description always gives the same digests. */
    public static final long DEFAULT_MTIME = 1_700_000_000L;

    public enum Type {
        FILE,
        DIRECTORY,
        SYMLINK,
        HARD_LINK,
        FIFO,
        /** Always 1:3, /dev/null's numbers: a device node in an image is what matters, not which one. */
        NULL_DEVICE
    }

    public LayerEntry {
        // an absolute or ".." path is written as given (LayerTar preserves absolute names): the hostile-layer tests
        // need them
        if (path.endsWith("/")) {
            throw new IllegalArgumentException("layer entry path must not end with a slash: " + path);
        }
        xattrs = Map.copyOf(xattrs);
    }

    public static LayerEntry file(String path, String content) {
        return file(path, content.getBytes(StandardCharsets.UTF_8));
    }

    public static LayerEntry file(String path, byte[] content) {
        return new LayerEntry(Type.FILE, path, content, null, 0644, 0, 0, DEFAULT_MTIME, Map.of());
    }

    public static LayerEntry directory(String path) {
        return new LayerEntry(Type.DIRECTORY, path, new byte[0], null, 0755, 0, 0, DEFAULT_MTIME, Map.of());
    }

    public static LayerEntry symlink(String path, String target) {
        return new LayerEntry(Type.SYMLINK, path, new byte[0], target, 0777, 0, 0, DEFAULT_MTIME, Map.of());
    }

    /** A hard link at {@code path} to {@code target}, a path (relative to the root) written earlier in the tar. */
    public static LayerEntry hardLink(String path, String target) {
        return new LayerEntry(Type.HARD_LINK, path, new byte[0], target, 0644, 0, 0, DEFAULT_MTIME, Map.of());
    }

    public static LayerEntry fifo(String path) {
        return new LayerEntry(Type.FIFO, path, new byte[0], null, 0644, 0, 0, DEFAULT_MTIME, Map.of());
    }

    /** A character device node with /dev/null's numbers (1:3). */
    public static LayerEntry nullDevice(String path) {
        return new LayerEntry(Type.NULL_DEVICE, path, new byte[0], null, 0666, 0, 0, DEFAULT_MTIME, Map.of());
    }

    /** The whiteout that deletes {@code path} of the layers below: {@code DIR/.wh.NAME}. */
    public static LayerEntry whiteout(String path) {
        int slash = path.lastIndexOf('/');
        String dir = slash < 0 ? "" : path.substring(0, slash + 1);
        return file(dir + ".wh." + path.substring(slash + 1), new byte[0]);
    }

    /** The opaque marker that hides everything the layers below have in {@code directory}. */
    public static LayerEntry opaque(String directory) {
        return file(directory + "/.wh..wh..opq", new byte[0]);
    }

    /** Permission bits with setuid (04000), setgid (02000) and sticky (01000); no file type bits. */
    public LayerEntry withMode(int newMode) {
        return new LayerEntry(type, path, content, linkTarget, newMode, uid, gid, mtimeSeconds, xattrs);
    }

    public LayerEntry withOwner(int newUid, int newGid) {
        return new LayerEntry(type, path, content, linkTarget, mode, newUid, newGid, mtimeSeconds, xattrs);
    }

    public LayerEntry withMtime(long seconds) {
        return new LayerEntry(type, path, content, linkTarget, mode, uid, gid, seconds, xattrs);
    }

    /** Adds an extended attribute (e.g. {@code user.note} or {@code trusted.x}), written as SCHILY.xattr.NAME. */
    public LayerEntry withXattr(String name, String value) {
        Map<String, String> more = new TreeMap<>(xattrs);
        more.put(name, value);
        return new LayerEntry(type, path, content, linkTarget, mode, uid, gid, mtimeSeconds, more);
    }
}
