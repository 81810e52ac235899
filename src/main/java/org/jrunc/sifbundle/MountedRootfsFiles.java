package org.jrunc.sifbundle;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.sys.Errno;
import org.jrunc.sys.Flags;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/** {@link RootfsFiles} over a mounted root filesystem, opened with openat2(RESOLVE_IN_ROOT) below its directory. */
final class MountedRootfsFiles implements RootfsFiles {
    private final Syscalls sys;
    private final Path root;

    MountedRootfsFiles(Syscalls sys, Path root) {
        this.sys = sys;
        this.root = root;
    }

    @Override
    public Optional<String> read(String path, int maxBytes) {
        int fd = open(path, Flags.O_RDONLY);
        if (fd < 0) {
            return Optional.empty();
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = sys.read(fd, buf, 0, buf.length)) > 0; ) {
                out.write(buf, 0, n);
                if (out.size() > maxBytes) {
                    throw new JruncException(
                            Shown.of(root) + ": " + path + " in the image is larger than " + maxBytes + " bytes");
                }
            }
            return Optional.of(out.toString(StandardCharsets.UTF_8));
        } finally {
            sys.close(fd);
        }
    }

    @Override
    public boolean exists(String path) {
        int fd = open(path, Flags.O_PATH);
        if (fd >= 0) {
            sys.close(fd);
        }
        return fd >= 0;
    }

    /** -1 when the path does not exist (or a component is not a directory); other failures are errors. */
    private int open(String path, int flags) {
        int dir = sys.open(root.toString(), Flags.O_PATH | Flags.O_DIRECTORY, 0);
        try {
            return sys.openat2(
                    dir, path.replaceFirst("^/+", ""), flags, 0, Flags.RESOLVE_IN_ROOT | Flags.RESOLVE_NO_MAGICLINKS);
        } catch (SyscallException e) {
            if (e.errno() == Errno.ENOENT || e.errno() == Errno.ENOTDIR || e.errno() == Errno.ELOOP) {
                return -1;
            }
            throw new JruncException(Shown.of(root) + ": cannot open " + path + " in the image: " + e.getMessage());
        } finally {
            sys.close(dir);
        }
    }
}
