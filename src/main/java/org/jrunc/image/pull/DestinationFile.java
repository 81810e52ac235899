package org.jrunc.image.pull;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Puts a finished image at the user's DEST so that DEST is complete or absent, whenever the pull is killed: the copy
 * goes into an unnamed O_TMPFILE file in DEST's directory, which only gets a name (a hidden one, renamed onto DEST at
 * once) after its last byte. A SIGKILL before that leaves nothing in the directory, since the kernel frees an
 * unnamed file with its last descriptor. Without {@code --force} the file is linked to DEST itself, so no name but
 * DEST ever appears. A filesystem without O_TMPFILE (NFS, some FUSE) falls back to a named
 * hidden file, deleted on failure.
 */
final class DestinationFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Syscalls sys;

    DestinationFile(Syscalls sys) {
        this.sys = sys;
    }

    /** Refuses, before any transfer, a DEST that cannot be written: existing without {@code force}, or no directory. */
    void check(Path dest, boolean force) {
        Path target = dest.toAbsolutePath().normalize();
        Path dir = target.getParent();
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !force) {
            throw new JruncException(dest + ": the file exists; give --force to overwrite it");
        }
        if (Files.isDirectory(target)) {
            throw new JruncException(dest + ": is a directory; give a file name for the OCI-SIF");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new JruncException(dest + ": directory " + dir + " does not exist");
        }
    }

    /** Copies {@code source} to {@code dest}; refuses an existing DEST unless {@code force}. */
    void place(Path source, Path dest, boolean force) {
        check(dest, force);
        Path target = dest.toAbsolutePath().normalize();
        Path dir = target.getParent();
        Path hidden = dir.resolve("." + target.getFileName() + "." + nonce() + ".tmp");
        int fd;
        try {
            fd = sys.open(dir.toString(), Flags.O_TMPFILE | Flags.O_WRONLY, 0644);
        } catch (SyscallException e) {
            if (e.errno() != Errno.ENOTSUP && e.errno() != Errno.EISDIR && e.errno() != Errno.EINVAL) {
                throw new JruncException(dest + ": cannot create a file in " + dir + ": " + e.getMessage(), e);
            }
            copyNamed(source, hidden, target);
            return;
        }
        // without --force the file is linked straight to DEST, which fails if DEST appeared meanwhile
        Path name = force ? hidden : target;
        try {
            copy(source, Path.of("/proc/self/fd/" + fd), dest);
            sys.linkat(Flags.AT_FDCWD, "/proc/self/fd/" + fd, Flags.AT_FDCWD, name.toString(), Flags.AT_SYMLINK_FOLLOW);
        } catch (SyscallException e) {
            if (e.errno() == Errno.EEXIST) {
                throw new JruncException(dest + ": the file exists; give --force to overwrite it");
            }
            throw new JruncException(dest + ": cannot name the new file: " + e.getMessage(), e);
        } finally {
            sys.close(fd);
        }
        if (force) {
            rename(hidden, target, dest);
        }
    }

    private static void copyNamed(Path source, Path hidden, Path target) {
        try {
            copy(source, hidden, target);
            rename(hidden, target, target);
        } finally {
            try {
                Files.deleteIfExists(hidden);
            } catch (IOException e) {
                // nothing more to do: the message already names the failure
            }
        }
    }

    private static void copy(Path source, Path into, Path dest) {
        try (FileChannel in = FileChannel.open(source, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(into, StandardOpenOption.WRITE)) {
            long size = in.size();
            long done = 0;
            // transferTo is sendfile(2) between files (copy_file_range on newer JDKs): the kernel copies, as cp does
            while (done < size) {
                done += in.transferTo(done, size - done, out);
            }
        } catch (IOException e) {
            throw new JruncException(dest + ": cannot write: " + JruncException.reason(e), e);
        }
    }

    private static void rename(Path hidden, Path target, Path dest) {
        try {
            Files.move(hidden, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(hidden);
            } catch (IOException ignored) {
                // the rename's failure is the one to report
            }
            throw new JruncException(dest + ": cannot rename into place: " + JruncException.reason(e), e);
        }
    }

    private static String nonce() {
        byte[] b = new byte[6];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
