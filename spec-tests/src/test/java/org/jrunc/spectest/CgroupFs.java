package org.jrunc.spectest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where a container's cgroup files are, read straight from the kernel: on a cgroup v2 only host
 * /sys/fs/cgroup/jrunc/ID for every controller; on a v1 or hybrid host /sys/fs/cgroup/CONTROLLER/jrunc/ID, or the
 * cgroup2 mount at /sys/fs/cgroup/unified for a controller no v1 hierarchy has (hugetlb on this project's hosts).
 */
final class CgroupFs {
    static final Path ROOT = Path.of("/sys/fs/cgroup");

    private CgroupFs() {}

    static boolean v2Only() {
        return Files.exists(ROOT.resolve("cgroup.controllers"));
    }

    /** The container's directory for {@code controller} ("unified" for the cgroup2 core files on a hybrid host). */
    static Path dir(String controller, String id) {
        if (v2Only()) {
            return ROOT.resolve("jrunc").resolve(id);
        }
        Path v1 = ROOT.resolve(controller);
        return (Files.isDirectory(v1) ? v1 : ROOT.resolve("unified"))
                .resolve("jrunc")
                .resolve(id);
    }

    /** A control file, trimmed. */
    static String read(String controller, String id, String file) {
        return read(dir(controller, id).resolve(file));
    }

    static String read(Path file) {
        try {
            return Files.readString(file).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String value) {
        try {
            Files.writeString(file, value);
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + value + " to " + file, e);
        }
    }

    /** The "major:minor" of block device {@code name}, from sysfs. */
    static String blockDeviceNumbers(String name) {
        return read(Path.of("/sys/block", name, "dev"));
    }
}
