package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads and writes of cgroup control files, and the cgroup directories themselves: the seam between the cgroup logic
 * and the kernel, so it can be tested against a plain directory tree. A missing file is reported as
 * {@link java.nio.file.NoSuchFileException} by read and by the checked kernel instance's write (cgroupfs cannot create
 * files, and a plain directory must not silently grow one either). The kernel's instances are
 * {@code KernelCgroupFiles.checked()} and {@code plain()}.
 */
public interface CgroupFiles {
    String read(Path file) throws IOException;

    /** One write(2) of {@code value}: multi-line files like io.max take one line per write. */
    void write(Path file, String value) throws IOException;

    boolean exists(Path file);

    boolean isDirectory(Path dir);

    /**
     * Whether this process may write the file, or make and remove entries in the directory (access(2) with W_OK): what
     * a rootless create checks before it plans to use a cgroup.
     */
    boolean isWritable(Path path);

    /** mkdir(2), as {@link java.nio.file.Files#createDirectory}: the kernel fills a new cgroup with its files. */
    void makeDir(Path dir) throws IOException;

    /** rmdir(2) if it exists, as {@link java.nio.file.Files#deleteIfExists}: a cgroup goes with its control files. */
    void removeDir(Path dir) throws IOException;

    /** The entries of a directory, as {@link java.nio.file.Files#newDirectoryStream} lists them. */
    List<Path> list(Path dir) throws IOException;
}
