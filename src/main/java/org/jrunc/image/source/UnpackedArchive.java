package org.jrunc.image.source;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.cache.StagedFile;

/**
 * An image archive (oci-archive or docker-archive: a tar, possibly gzipped) unpacked into the cache's tmp/, where
 * it is deleted on close. Only regular files are written; symlinks, which `docker save` uses for a layer that
 * appears twice, are kept as names to resolve inside the archive. An entry that would leave the directory is
 * refused, naming it.
 */
final class UnpackedArchive implements AutoCloseable {
    private static final int MAX_LINKS = 8;

    private final Path archive;
    private final StagedFile staged;
    private final Map<String, String> symlinks = new HashMap<>();

    private UnpackedArchive(Path archive, StagedFile staged) {
        this.archive = archive;
        this.staged = staged;
    }

    static UnpackedArchive unpack(ImageCache cache, Path archive) {
        UnpackedArchive unpacked = new UnpackedArchive(archive, cache.stage("archive"));
        try {
            unpacked.extract();
            return unpacked;
        } catch (RuntimeException e) {
            unpacked.close();
            throw e;
        }
    }

    Path directory() {
        return staged.path();
    }

    private void extract() {
        Path root = staged.path();
        try (InputStream file = new BufferedInputStream(Files.newInputStream(archive));
                TarArchiveInputStream tar = new TarArchiveInputStream(maybeGunzip(file))) {
            Files.createDirectories(root);
            TarArchiveEntry entry;
            while ((entry = tar.getNextEntry()) != null) {
                String name = safeName(entry.getName());
                if (name.isEmpty()) {
                    continue;
                }
                if (entry.isSymbolicLink()) {
                    symlinks.put(name, entry.getLinkName());
                } else if (entry.isFile() && !entry.isLink()) {
                    Path target = root.resolve(name);
                    Files.createDirectories(target.getParent());
                    Files.copy(tar, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (NoSuchFileException e) {
            throw new JruncException(archive + ": no such file");
        } catch (IOException e) {
            throw new JruncException(archive + ": cannot read the archive: " + JruncException.reason(e), e);
        }
    }

    private static InputStream maybeGunzip(InputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** The entry name without "./", refused if it is absolute or climbs out with "..". */
    private String safeName(String raw) {
        String name = raw;
        while (name.startsWith("./")) {
            name = name.substring(2);
        }
        if (name.startsWith("/") || java.util.Arrays.asList(name.split("/")).contains("..")) {
            throw new JruncException(archive + ": entry \"" + raw + "\" points outside the archive");
        }
        return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
    }

    /** The unpacked file an archive path names, following the archive's own symlinks; refused if absent. */
    Path file(String archivePath) {
        String name = safeName(archivePath);
        for (int i = 0; i <= MAX_LINKS; i++) {
            String link = symlinks.get(name);
            if (link == null) {
                Path file = staged.path().resolve(name);
                if (!Files.isRegularFile(file)) {
                    throw new JruncException(archive + ": the archive has no file \"" + archivePath + "\"");
                }
                return file;
            }
            Path parent = Path.of(name).getParent();
            name = safeName((parent == null ? Path.of(link) : parent.resolve(link))
                    .normalize()
                    .toString());
        }
        throw new JruncException(
                archive + ": \"" + archivePath + "\" is a chain of more than " + MAX_LINKS + " symlinks");
    }

    @Override
    public void close() {
        staged.close();
    }
}
