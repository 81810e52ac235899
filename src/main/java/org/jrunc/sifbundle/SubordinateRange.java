package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jrunc.namespaces.SubordinateIds;

/**
 * A range of ids an unprivileged user may map into its user namespaces through newuidmap/newgidmap: {@code count}
 * ids from {@code start}, the user's first range in /etc/subuid or /etc/subgid ({@link SubordinateIds} reads them as
 * shadow-utils does). Only the first range counts here, as podman and Singularity use it.
 */
record SubordinateRange(Path file, long start, long count) {

    /** The first range of the user {@code name} (or number {@code id}) in {@code file}; none without one. */
    static Optional<SubordinateRange> first(Path file, String name, long id) {
        List<SubordinateIds.Range> ranges = SubordinateIds.read(file, name, id).ranges();
        return ranges.isEmpty()
                ? Optional.empty()
                : Optional.of(new SubordinateRange(
                        file, ranges.get(0).start(), ranges.get(0).count()));
    }

    @Override
    public String toString() {
        return file + " " + start + ":" + count;
    }
}
