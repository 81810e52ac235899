package org.jrunc.sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A helper program of the host (newuidmap, squashfuse, ...) found on this process's PATH, as a shell finds it. */
public final class HostPath {
    private static final String DEFAULT_PATH = "/usr/sbin:/usr/bin:/sbin:/bin";

    private HostPath() {}

    /** The first executable {@code tool} in the PATH directories (a default set without PATH), or none. */
    public static Optional<Path> find(String tool) {
        return find(tool, Optional.ofNullable(System.getenv("PATH")));
    }

    /** The same search in a given PATH value, for callers that hand an environment down as a map. */
    public static Optional<Path> find(String tool, Optional<String> path) {
        for (String dir : path.orElse(DEFAULT_PATH).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
