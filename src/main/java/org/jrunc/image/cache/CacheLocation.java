package org.jrunc.image.cache;

import java.nio.file.Path;
import java.util.Map;
import org.jrunc.JruncException;

/**
 * Where the image cache lives: {@code $JRUNC_CACHEDIR}; else /var/cache/jrunc for the host's root, and for anyone
 * else (podman's rootless uid 0 in a user namespace included, which cannot write /var/cache)
 * {@code $XDG_CACHE_HOME/jrunc} or {@code ~/.cache/jrunc}, as Singularity places its own per-user cache.
 */
public final class CacheLocation {
    static final String ENV = "JRUNC_CACHEDIR";
    static final Path SYSTEM = Path.of("/var/cache/jrunc");

    private CacheLocation() {}

    public static Path resolve(Map<String, String> env, boolean rootless) {
        String explicit = env.get(ENV);
        if (explicit != null && !explicit.isEmpty()) {
            return absolute(explicit, ENV);
        }
        if (!rootless) {
            return SYSTEM;
        }
        String xdg = env.get("XDG_CACHE_HOME");
        if (xdg != null && !xdg.isEmpty()) {
            return absolute(xdg, "XDG_CACHE_HOME").resolve("jrunc");
        }
        String home = env.get("HOME");
        if (home == null || home.isEmpty()) {
            throw new JruncException("image cache: neither " + ENV + ", XDG_CACHE_HOME nor HOME is set");
        }
        return absolute(home, "HOME").resolve(".cache").resolve("jrunc");
    }

    /** A relative cache directory would move with the caller's working directory, so it is refused. */
    private static Path absolute(String value, String variable) {
        Path p = Path.of(value);
        if (!p.isAbsolute()) {
            throw new JruncException("image cache: $" + variable + " is \"" + value + "\", not an absolute path");
        }
        return p.normalize();
    }
}
