package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes of cgroup control files, and the cgroup directories themselves: the seam between the cgroup logic
 * and the kernel, so it can be tested against a plain directory tree. A missing file is reported as
 * {@link java.nio.file.NoSuchFileException} by read and by the checked {@link #kernel()} write (cgroupfs cannot create
 * files, and a plain directory must not silently grow one either).
 */
public interface CgroupFiles {
    String read(Path file) throws IOException;

    /** One write(2) of {@code value}: multi-line files like io.max take one line per write. */
    void write(Path file, String value) throws IOException;

    boolean exists(Path file);

    boolean isDirectory(Path dir);

    /** mkdir(2), as {@link java.nio.file.Files#createDirectory}: the kernel fills a new cgroup with its files. */
    void makeDir(Path dir) throws IOException;

    /** rmdir(2) if it exists, as {@link java.nio.file.Files#deleteIfExists}: a cgroup goes with its control files. */
    void removeDir(Path dir) throws IOException;

    /** The entries of a directory, as {@link java.nio.file.Files#newDirectoryStream} lists them. */
    List<Path> list(Path dir) throws IOException;

    /**
     * The running kernel's cgroupfs, through {@link org.jrunc.sys.KernelFiles}, for the resource writers: a read or
     * write of a missing file fails with NoSuchFileException rather than the EACCES of an O_CREAT open.
     */
    static CgroupFiles kernel() {
        return KernelCgroupFiles.CHECKED;
    }

    /**
     * The running kernel's cgroupfs, with no existence check before a write: the freezer, pids, cgroup.kill and the
     * directories, which have always reported java.io's own messages.
     */
    static CgroupFiles plainKernel() {
        return KernelCgroupFiles.PLAIN;
    }
}
