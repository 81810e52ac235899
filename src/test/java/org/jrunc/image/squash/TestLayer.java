package org.jrunc.image.squash;

import io.airlift.compress.zstd.ZstdOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jrunc.sif.OciDigest;

/** A layer tar built entry by entry in a test, written as a blob file with its media type and digest. */
final class TestLayer {
    static final FileTime MTIME = FileTime.fromMillis(1_700_000_000_000L);

    private record Item(TarArchiveEntry entry, byte[] content) {}

    private final List<Item> items = new ArrayList<>();

    TestLayer dir(String name) {
        return add(new TarArchiveEntry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR), null, 0755);
    }

    TestLayer file(String name, String content) {
        return add(new TarArchiveEntry(name, TarConstants.LF_NORMAL), content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    TestLayer symlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
        entry.setLinkName(target);
        return add(entry, null, 0777);
    }

    TestLayer hardlink(String name, String target) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
        entry.setLinkName(target);
        return add(entry, null, 0644);
    }

    TestLayer whiteout(String name) {
        int slash = name.lastIndexOf('/');
        return file(name.substring(0, slash + 1) + ".wh." + name.substring(slash + 1), "");
    }

    TestLayer opaque(String directory) {
        return file(directory + "/.wh..wh..opq", "");
    }

    TestLayer fifo(String name) {
        return add(new TarArchiveEntry(name, TarConstants.LF_FIFO), null, 0010600);
    }

    TestLayer charDevice(String name, int major, int minor) {
        TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR);
        entry.setDevMajor(major);
        entry.setDevMinor(minor);
        return add(entry, null, 0020666);
    }

    /** Changes the last entry added (owner, mode, time, xattrs). */
    TestLayer with(Consumer<TarArchiveEntry> change) {
        change.accept(items.get(items.size() - 1).entry);
        return this;
    }

    /** An entry whose name is kept as given, leading "/" included. */
    TestLayer raw(String name, byte type, String content) {
        TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
        return add(entry, content == null ? null : content.getBytes(StandardCharsets.UTF_8), 0644);
    }

    private TestLayer add(TarArchiveEntry entry, byte[] content, int mode) {
        entry.setMode(mode > 07777 ? mode : (entry.getMode() & ~07777) | mode);
        entry.setLastModifiedTime(MTIME);
        entry.setUserName("");
        entry.setGroupName("");
        if (content != null) {
            entry.setSize(content.length);
        }
        items.add(new Item(entry, content));
        return this;
    }

    byte[] tar() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(bytes, "UTF-8")) {
            out.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            out.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            out.setAddPaxHeadersForNonAsciiNames(true); // as Go's archive/tar, which writes Docker's layers
            for (Item item : items) {
                out.putArchiveEntry(item.entry);
                if (item.content != null) {
                    out.write(item.content);
                }
                out.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    LayerBlob gzip(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(tar());
        }
        return blob(dir, bytes.toByteArray(), "application/vnd.oci.image.layer.v1.tar+gzip");
    }

    LayerBlob zstd(Path dir) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new ZstdOutputStream(bytes)) {
            out.write(tar());
        }
        return blob(dir, bytes.toByteArray(), "application/vnd.oci.image.layer.v1.tar+zstd");
    }

    LayerBlob plain(Path dir) throws IOException {
        return blob(dir, tar(), "application/vnd.oci.image.layer.v1.tar");
    }

    static LayerBlob blob(Path dir, byte[] bytes, String mediaType) throws IOException {
        OciDigest digest = OciDigest.sha256(bytes);
        Path file = dir.resolve(digest.hex());
        Files.write(file, bytes);
        return new LayerBlob(file, mediaType, digest);
    }
}
