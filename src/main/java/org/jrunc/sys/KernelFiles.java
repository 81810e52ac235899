package org.jrunc.sys;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reads and writes of procfs, sysfs and cgroupfs files. They report a size of 0 and some (sysctl files) return nothing
 * for a read at a non-zero offset, so Files.readString, which starts with a one-byte read when the size is 0, returns
 * "4" for "40". These helpers read with one large read and write with one write(2).
 */
public final class KernelFiles {
    private KernelFiles() {}

    public static String read(Path file) throws IOException {
        try (FileInputStream in = new FileInputStream(file.toFile())) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The content, or null when the file cannot be read. */
    public static String readOrNull(Path file) {
        try {
            return read(file);
        } catch (IOException e) {
            return null;
        }
    }

    public static void write(Path file, String value) throws IOException {
        try (FileOutputStream out = new FileOutputStream(file.toFile())) {
            out.write(value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
