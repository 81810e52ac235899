package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jrunc.sys.KernelFiles;

/**
 * {@link CgroupFiles} on cgroupfs. The existence check comes first because an open with O_CREAT of a missing cgroupfs
 * file fails with EACCES, which would hide the real cause (controller not enabled, or knob absent from this kernel).
 */
final class KernelCgroupFiles implements CgroupFiles {
    static final KernelCgroupFiles INSTANCE = new KernelCgroupFiles();

    private KernelCgroupFiles() {
    }

    @Override
    public String read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return KernelFiles.read(file);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        KernelFiles.write(file, value);
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }
}
