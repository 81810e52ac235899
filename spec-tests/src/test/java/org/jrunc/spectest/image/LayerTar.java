package org.jrunc.spectest.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.jrunc.spectest.Jrunc;

/**
 * A {@link Layer}'s tar through commons-compress (PAX for long names, big numbers and xattrs), and its blob: the JDK's
 * gzip, or Debian's {@code zstd} tool, as commons-compress writes zstd only with a zstd library on the classpath.
 */
final class LayerTar {
    /** the prefix of the temp files the zstd tool reads and writes, deleted before {@link #blob} returns */
    static final String TEMP_PREFIX = "jrunc-test-layer";

    private LayerTar() {}

    /** The uncompressed tar, whose sha256 is the layer's diff_id. */
    static byte[] tar(Layer layer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            for (LayerEntry e : layer.entries()) {
                TarArchiveEntry entry = tarEntry(e);
                tar.putArchiveEntry(entry);
                if (e.type() == LayerEntry.Type.FILE) {
                    tar.write(e.content());
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static TarArchiveEntry nullDevice(String path) {
        TarArchiveEntry device = new TarArchiveEntry(path, TarConstants.LF_CHR, true);
        device.setDevMajor(1);
        device.setDevMinor(3);
        return device;
    }

    private static TarArchiveEntry tarEntry(LayerEntry e) {
        TarArchiveEntry entry = switch (e.type()) {
            case FILE -> new TarArchiveEntry(e.path(), TarConstants.LF_NORMAL, true);
            case DIRECTORY -> new TarArchiveEntry(e.path() + "/", TarConstants.LF_DIR, true);
            case SYMLINK -> new TarArchiveEntry(e.path(), TarConstants.LF_SYMLINK, true);
            case HARD_LINK -> new TarArchiveEntry(e.path(), TarConstants.LF_LINK, true);
            case FIFO -> new TarArchiveEntry(e.path(), TarConstants.LF_FIFO, true);
            case NULL_DEVICE -> nullDevice(e.path());
        };
        if (e.linkTarget() != null) {
            entry.setLinkName(e.linkTarget());
        }
        if (e.type() == LayerEntry.Type.FILE) {
            entry.setSize(e.content().length);
        }
        entry.setMode(e.mode());
        entry.setUserId(e.uid());
        entry.setGroupId(e.gid());
        entry.setModTime(FileTime.from(e.mtimeSeconds(), TimeUnit.SECONDS));
        for (Map.Entry<String, String> x : e.xattrs().entrySet()) {
            entry.addPaxHeader("SCHILY.xattr." + x.getKey(), x.getValue());
        }
        return entry;
    }

    /** The layer's blob: {@code tar} compressed as the layer says. */
    static byte[] blob(byte[] tar, LayerCompression compression) throws IOException {
        return switch (compression) {
            case NONE -> tar;
            case GZIP -> gzip(tar);
            case ZSTD -> zstd(tar);
        };
    }

    private static byte[] gzip(byte[] tar) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(tar);
        }
        return bytes.toByteArray();
    }

    private static byte[] zstd(byte[] tar) throws IOException {
        Path in = Files.createTempFile(TEMP_PREFIX, ".tar");
        Path out = in.resolveSibling(in.getFileName() + ".zst");
        try {
            Files.write(in, tar);
            Jrunc.Result r =
                    Jrunc.raw(List.of("zstd", "-q", "-f", "-o", out.toString(), in.toString()), Map.of(), null, 120);
            if (r.exit() != 0) {
                throw new IOException("zstd failed (apt-get install zstd): " + r.err());
            }
            return Files.readAllBytes(out);
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }
}
