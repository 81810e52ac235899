package org.jrunc.cgroups;

import java.io.IOException;
import java.nio.file.Path;
import org.jrunc.JruncException;
import org.jrunc.Pause;

/**
 * What the v1 and the v2 freezer do alike with their files: read the state, write it, and wait until the kernel
 * reports every task stopped. Plain file I/O (the state is read on the `state` path).
 */
public final class FreezerFiles {
    private FreezerFiles() {}

    /** The trimmed content, or null when it cannot be read. */
    public static String read(CgroupFiles files, Path file) {
        try {
            return files.read(file).trim();
        } catch (IOException e) {
            return null;
        }
    }

    public static void write(CgroupFiles files, Path file, String value) {
        try {
            files.write(file, value);
        } catch (IOException e) {
            throw new JruncException("cannot write " + value + " to " + file + ": " + e.getMessage());
        }
    }

    /**
     * Polls {@code file} every millisecond, for up to about a second, until one of its lines is {@code line}. An
     * interrupt ends the wait early, without an error, and leaves the thread's interrupt flag set.
     */
    public static void await(CgroupFiles files, Path file, String line) {
        for (int i = 0; i < 1000; i++) {
            String content;
            try {
                content = files.read(file);
            } catch (IOException e) {
                throw new JruncException("cannot read " + file + ": " + e.getMessage());
            }
            for (String l : content.split("\n")) {
                if (l.equals(line)) {
                    return;
                }
            }
            if (!Pause.millis(1)) {
                return;
            }
        }
        throw new JruncException("the container's cgroup did not freeze in time");
    }
}
