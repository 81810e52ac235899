package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads and writes of cgroup control files: the seam between the resource mapping and the kernel, so the mapping can be
 * tested against a plain directory tree. A missing file is reported as {@link java.nio.file.NoSuchFileException} by
 * both operations (cgroupfs cannot create files, and a plain directory must not silently grow one either).
 */
public interface CgroupFiles {
    String read(Path file) throws IOException;

    /** One write(2) of {@code value}: multi-line files like io.max take one line per write. */
    void write(Path file, String value) throws IOException;

    boolean exists(Path file);

    /** The running kernel's cgroupfs, through {@link org.jrunc.sys.KernelFiles}. */
    static CgroupFiles kernel() {
        return KernelCgroupFiles.INSTANCE;
    }
}
