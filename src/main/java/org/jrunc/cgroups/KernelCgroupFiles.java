package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.sys.KernelFiles;

/**
 * {@link CgroupFiles} on cgroupfs. In the checked instance the existence check comes first because an open with O_CREAT
 * of a missing cgroupfs file fails with EACCES, which would hide the real cause (controller not enabled, or knob absent
 * from this kernel).
 */
public final class KernelCgroupFiles implements CgroupFiles {
    private static final KernelCgroupFiles CHECKED = new KernelCgroupFiles(true);
    private static final KernelCgroupFiles PLAIN = new KernelCgroupFiles(false);

    private final boolean checked;

    private KernelCgroupFiles(boolean checked) {
        this.checked = checked;
    }

    /**
     * The running kernel's cgroupfs, through {@link KernelFiles}, for the resource writers: a read or write of a
     * missing file fails with NoSuchFileException rather than the EACCES of an O_CREAT open.
     */
    public static CgroupFiles checked() {
        return CHECKED;
    }

    /**
     * The running kernel's cgroupfs, with no existence check before a write: the freezer, pids, cgroup.kill and the
     * directories, which have always reported java.io's own messages.
     */
    public static CgroupFiles plain() {
        return PLAIN;
    }

    @Override
    public String read(Path file) throws IOException {
        if (checked && !Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return KernelFiles.read(file);
    }

    @Override
    public void write(Path file, String value) throws IOException {
        if (checked && !Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        KernelFiles.write(file, value);
    }

    @Override
    public boolean exists(Path file) {
        return Files.exists(file);
    }

    @Override
    public boolean isDirectory(Path dir) {
        return Files.isDirectory(dir);
    }

    @Override
    public boolean isWritable(Path path) {
        return Files.isWritable(path);
    }

    @Override
    public void makeDir(Path dir) throws IOException {
        Files.createDirectory(dir);
    }

    @Override
    public void removeDir(Path dir) throws IOException {
        Files.deleteIfExists(dir);
    }

    /** A loop rather than a stream: delete's path. */
    @Override
    public List<Path> list(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            for (Path p : s) {
                out.add(p);
            }
        }
        return out;
    }
}
