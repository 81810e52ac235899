package org.jrunc.spectest.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** One layer of a test image: its entries, in tar order, and how its blob is compressed. */
public record Layer(LayerCompression compression, List<LayerEntry> entries) {

    public Layer {
        entries = List.copyOf(entries);
    }

    public static Layer of(LayerCompression compression, LayerEntry... entries) {
        return new Layer(compression, List.of(entries));
    }

    /**
     * A host directory as one layer: directories, regular files (read into memory: meant for small trees such as the
     * busybox rootfs) and symlinks, with their modes, numeric owners and mtimes; anything else is refused.
     */
    public static Layer ofDirectory(LayerCompression compression, Path root) throws IOException {
        List<LayerEntry> entries = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk.sorted()::iterator) {
                if (p.equals(root)) {
                    continue;
                }
                entries.add(entryOf(root.relativize(p).toString(), p));
            }
        }
        return new Layer(compression, entries);
    }

    private static LayerEntry entryOf(String name, Path p) throws IOException {
        Map<String, Object> unix =
                Files.readAttributes(p, "unix:mode,uid,gid,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        LayerEntry entry;
        if (Files.isSymbolicLink(p)) {
            entry = LayerEntry.symlink(name, Files.readSymbolicLink(p).toString());
        } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            entry = LayerEntry.directory(name);
        } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
            entry = LayerEntry.file(name, Files.readAllBytes(p));
        } else {
            throw new IOException("not a directory, regular file or symlink: " + p);
        }
        return entry.withMode((Integer) unix.get("mode") & 07777)
                .withOwner((Integer) unix.get("uid"), (Integer) unix.get("gid"))
                .withMtime(((FileTime) unix.get("lastModifiedTime")).toInstant().getEpochSecond());
    }
}
