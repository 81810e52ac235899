package org.jrunc.sifbundle;

import java.nio.file.Path;
import java.util.List;

/**
 * What mount needs from an image, read and checked before anything is created: the file, the squashfs filesystems
 * to stack (base first) and the image configuration, with {@code configSource} naming where that came from.
 */
record MountableImage(Path file, long fileSize, List<SquashfsExtent> layers, ImageConfig config, String configSource) {
    MountableImage {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("an image to mount needs at least one filesystem");
        }
        layers = List.copyOf(layers);
    }
}
