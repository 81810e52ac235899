package org.jrunc.sys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** A helper program of the host (newuidmap, squashfuse, ...) found on this process's PATH, as a shell finds it. */
public final class HostPath {
    private HostPath() {}

    /** The first executable {@code tool} in the PATH directories (a default set without PATH), or none. */
    public static Optional<Path> find(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }
}
