package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import org.jrunc.JruncException;

/**
 * Where `jrunc mount` puts things in a bundle (Singularity's layout): rootfs/ (the image, then the overlay on the
 * same path), overlay/{upper,work}, volumes/, layers/N for multi-layer OCI-SIFs, config.json, and the marker that
 * records what was made. The bundle path is absolute and normalized; every other path is relative to it.
 */
public record BundleLayout(Path bundle) {
    public static final String MARKER = ".jrunc-mount.json";

    public BundleLayout {
        if (!bundle.isAbsolute()) {
            throw new IllegalArgumentException("bundle path must be absolute: " + bundle);
        }
        bundle = bundle.normalize();
    }

    /**
     * The layout for {@code bundle} as mountinfo will name its mount points: absolute, with symlinks in the existing
     * part resolved (a bundle that does not exist yet is named by its parent's real path).
     */
    static BundleLayout of(Path bundle) {
        Path absolute = bundle.toAbsolutePath().normalize();
        try {
            if (Files.exists(absolute, LinkOption.NOFOLLOW_LINKS)) {
                return new BundleLayout(absolute.toRealPath());
            }
            Path parent = absolute.getParent();
            if (parent == null || !Files.isDirectory(parent)) {
                throw new JruncException(
                        "cannot create " + Shown.of(absolute) + ": its parent directory does not" + " exist");
            }
            return new BundleLayout(parent.toRealPath().resolve(absolute.getFileName()));
        } catch (IOException e) {
            throw IoErrors.failure("cannot resolve", absolute, e);
        }
    }

    static final Path ROOTFS = Path.of("rootfs");
    static final Path OVERLAY = Path.of("overlay");
    static final Path UPPER = OVERLAY.resolve("upper");
    static final Path WORK = OVERLAY.resolve("work");
    static final Path VOLUMES = Path.of("volumes");
    static final Path LAYERS = Path.of("layers");
    static final Path CONFIG = Path.of("config.json");

    /** Everything mount creates directly in the bundle; it refuses to start when one of them is already there. */
    static final Path[] CREATED_ENTRIES = {ROOTFS, OVERLAY, VOLUMES, LAYERS, CONFIG, Path.of(MARKER)};

    /**
     * overlay's lowerdir/upperdir/workdir options (and squashfuse's -o) are comma- and colon-separated, so a bundle
     * path with such a character would be split into other paths; refuse it before anything is made.
     */
    void checkUsableInMountOptions() {
        String p = bundle.toString();
        for (char c : new char[] {',', ':', '\\', '\n'}) {
            if (p.indexOf(c) >= 0) {
                throw new JruncException(Shown.of(p) + ": bundle path contains " + Shown.of("'" + c + "'")
                        + ", which mount options cannot carry; use another bundle path");
            }
        }
    }

    public Path resolve(Path relative) {
        return bundle.resolve(relative);
    }

    public Path rootfs() {
        return resolve(ROOTFS);
    }

    public Path marker() {
        return bundle.resolve(MARKER);
    }

    /** The marker is replaced by renaming this over it, so a crash never leaves half a marker. */
    public Path markerTemp() {
        return bundle.resolve(MARKER + ".tmp");
    }

    static Path layer(int index) {
        return LAYERS.resolve(Integer.toString(index));
    }

    /** Singularity's naming: the volume's destination with every '/' replaced by '_' ("/var/lib/x" → "_var_lib_x"). */
    static Path volume(String destination) {
        return VOLUMES.resolve(destination.replace('/', '_'));
    }
}
