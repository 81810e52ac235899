package org.jrunc.spectest;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A loop device of the test's own over a small file, for per-device block I/O limits; detached on close. */
final class LoopDevice implements AutoCloseable {
    private final String name;
    private final String scheduler;

    private LoopDevice(String name) {
        this.name = name;
        String all = CgroupFs.read(schedulerFile());
        this.scheduler = all.substring(all.indexOf('[') + 1, all.indexOf(']'));
    }

    private Path schedulerFile() {
        return Path.of("/sys/block", name, "queue", "scheduler");
    }

    static LoopDevice attach(Path dir) throws IOException {
        Path backing = dir.resolve("loop.img");
        try (RandomAccessFile f = new RandomAccessFile(backing.toFile(), "rw")) {
            f.setLength(1 << 20);
        }
        Jrunc.Result r = Jrunc.raw(List.of("losetup", "-f", "--show", backing.toString()), Map.of(), null, 30);
        if (r.exit() != 0) {
            throw new AssertionError("losetup failed: " + r.err());
        }
        return new LoopDevice(Path.of(r.out().trim()).getFileName().toString());
    }

    /** "major:minor". */
    String numbers() {
        return CgroupFs.blockDeviceNumbers(name);
    }

    /** Switches the device to I/O scheduler {@code name}; false when this kernel does not offer it. */
    boolean useScheduler(String wanted) throws IOException {
        if (!Files.readString(schedulerFile()).contains(wanted)) {
            return false;
        }
        Files.writeString(schedulerFile(), wanted);
        return true;
    }

    /** Detaches, with the scheduler it had back: the kernel keeps a loop device's scheduler for its next user. */
    @Override
    public void close() throws IOException {
        Files.writeString(schedulerFile(), scheduler);
        Jrunc.raw(List.of("losetup", "-d", "/dev/" + name), Map.of(), null, 30);
    }
}
