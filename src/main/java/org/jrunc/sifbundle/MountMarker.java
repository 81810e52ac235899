package org.jrunc.sifbundle;

import java.util.List;

/**
 * The content of BUNDLE/.jrunc-mount.json: the image that was mounted, whether mount created the bundle directory
 * itself, and what it made inside, oldest first. Without it umount touches nothing.
 */
record MountMarker(String image, boolean createdBundle, List<Step> steps) {
    static final int VERSION = 1;

    MountMarker {
        steps = List.copyOf(steps);
    }
}
