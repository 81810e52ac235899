package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A range of ids an unprivileged user may map into its user namespaces through newuidmap/newgidmap: {@code count}
 * ids from {@code start}, from a "user:start:count" line of /etc/subuid or /etc/subgid (shadow's subuid(5) format,
 * where the user is a name or a uid). Only the first line of the user counts, as podman and Singularity use it.
 */
record SubordinateRange(Path file, long start, long count) {

    /** The user's first range in {@code file}; none when the file or a line for the user is missing. */
    static Optional<SubordinateRange> first(Path file, String name, long uid) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw IoErrors.failure("cannot read", file, e);
        }
        for (String line : text.split("\n")) {
            String[] f = line.trim().split(":");
            if (f.length != 3 || !(f[0].equals(name) || f[0].equals(Long.toString(uid)))) {
                continue;
            }
            try {
                long start = Long.parseLong(f[1]);
                long count = Long.parseLong(f[2]);
                if (start >= 0 && count > 0) {
                    return Optional.of(new SubordinateRange(file, start, count));
                }
            } catch (NumberFormatException e) {
                // not a range line (newuidmap skips it too)
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return file + " " + start + ":" + count;
    }
}
