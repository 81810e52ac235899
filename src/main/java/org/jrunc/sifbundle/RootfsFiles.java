package org.jrunc.sifbundle;

import java.util.Optional;

/**
 * Read access to files of the mounted image, by their path inside it. Symlinks resolve inside the image, never to
 * the host (an image's /etc/passwd may be a symlink to anywhere).
 */
interface RootfsFiles {
    /** The file's text, or empty when it does not exist; larger than {@code maxBytes} is an error. */
    Optional<String> read(String path, int maxBytes);

    boolean exists(String path);
}
