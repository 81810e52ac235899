package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.json.JsonWriter;
import org.jrunc.sys.LoopDevices;
import org.jrunc.sys.Syscalls;

/**
 * `jrunc mount IMAGE BUNDLE`: turns a SIF or OCI-SIF into an OCI bundle the way `singularity oci mount` does: the
 * image's squashfs read-only on BUNDLE/rootfs, a writable overlay on the same path (writes land in
 * BUNDLE/overlay/upper), BUNDLE/volumes for the image's volumes and a generated BUNDLE/config.json. Everything is
 * checked before anything is made, every step is recorded in the bundle's marker as it is made, and a failure
 * undoes the steps already made.
 */
public final class SifBundleMounter {
    private final Syscalls sys;
    private final LoopDevices loops;
    private final FuseTools fuse;
    private final Host host;
    private final Caller caller;

    public SifBundleMounter(Syscalls sys) {
        this(sys, new LoopDevices(sys), new FuseCommands(), new LiveHost(), Caller.current());
    }

    SifBundleMounter(Syscalls sys, LoopDevices loops, FuseTools fuse, Host host, Caller caller) {
        this.sys = sys;
        this.loops = loops;
        this.fuse = fuse;
        this.host = host;
        this.caller = caller;
    }

    /**
     * With {@code squashfuse}, or when not root or without loop devices, the FUSE drivers mount the image and the
     * overlay; otherwise the kernel does (loop device, squashfs, overlayfs). An unprivileged caller's bundle gets a
     * config for a rootless container ({@link RuntimeSpecBuilder}).
     */
    public void mount(Path image, Path bundle, boolean squashfuse) {
        Path imageFile = realFile(image);
        MountableImage source = SifImageSource.read(imageFile);
        BundleLayout layout = BundleLayout.of(bundle);
        layout.checkUsableInMountOptions();
        checkFreeForMount(layout);
        boolean useFuse = squashfuse || !caller.isRoot() || !loops.available();
        if (useFuse) {
            fuse.check();
        }
        MountDriver driver = useFuse ? new FuseMountDriver(fuse, caller) : new KernelMountDriver(sys, loops);
        Journal journal = Journal.begin(layout, imageFile.toString());
        try {
            build(source, layout, driver, journal);
        } catch (RuntimeException e) {
            throw rollBack(e, layout, journal);
        }
    }

    private void build(MountableImage source, BundleLayout layout, MountDriver driver, Journal journal) {
        journal.mkdir(BundleLayout.ROOTFS, "rwx------");
        List<Path> lowers = mountImage(source, driver, journal);
        journal.mkdirTree(BundleLayout.OVERLAY, "rwx------");
        journal.mkdirInTree(BundleLayout.UPPER, "rwxr-xr-x");
        journal.mkdirInTree(BundleLayout.WORK, "rwx------");
        driver.mountOverlay(lowers, BundleLayout.ROOTFS, journal);
        // after mounting, so User names resolve in the image's own /etc/passwd and /etc/group
        Map<String, Object> spec = RuntimeSpecBuilder.build(
                source.config(), new MountedRootfsFiles(sys, layout.rootfs()), source.configSource(), caller);
        journal.mkdirTree(BundleLayout.VOLUMES, "rwxr-xr-x");
        for (Volume v : source.config().volumes()) {
            journal.mkdirInTree(v.directory(), "rwxr-xr-x");
        }
        journal.writeFile(
                BundleLayout.CONFIG, (JsonWriter.pretty(spec) + "\n").getBytes(StandardCharsets.UTF_8), "rw-------");
    }

    /**
     * One filesystem goes straight on rootfs, under the overlay (Singularity's native layout), when the driver
     * allows it; otherwise each goes on layers/N and the overlay stacks them. Returns the overlay's lower
     * directories, topmost first.
     */
    private static List<Path> mountImage(MountableImage source, MountDriver driver, Journal journal) {
        List<SquashfsExtent> layers = source.layers();
        if (layers.size() == 1 && driver.stacksOnTarget()) {
            driver.mountSquashfs(source, layers.get(0), BundleLayout.ROOTFS, journal);
            return List.of(BundleLayout.ROOTFS);
        }
        journal.mkdirTree(BundleLayout.LAYERS, "rwxr-xr-x");
        List<Path> lowers = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Path dir = BundleLayout.layer(i);
            journal.mkdirInTree(dir, "rwxr-xr-x");
            driver.mountSquashfs(source, layers.get(i), dir, journal);
            lowers.add(0, dir);
        }
        return lowers;
    }

    /** Undoes what was made; the original failure is what the user needs to see, with any cleanup problem added. */
    private RuntimeException rollBack(RuntimeException failure, BundleLayout layout, Journal journal) {
        try {
            new Teardown(layout, sys, loops, fuse, host).run(journal.marker(), journal.file());
        } catch (RuntimeException cleanup) {
            return new JruncException(
                    failure.getMessage() + "; cleaning up failed too: " + cleanup.getMessage()
                            + "; finish with jrunc umount " + Shown.of(layout.bundle()),
                    failure);
        }
        return failure;
    }

    /** An existing bundle directory is fine (Singularity allows it) as long as nothing mount makes is in it. */
    private static void checkFreeForMount(BundleLayout layout) {
        Path bundle = layout.bundle();
        if (!Files.exists(bundle, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        if (!Files.isDirectory(bundle, LinkOption.NOFOLLOW_LINKS)) {
            throw new JruncException(Shown.of(bundle) + ": exists and is not a directory");
        }
        if (Files.exists(layout.marker(), LinkOption.NOFOLLOW_LINKS)) {
            throw new JruncException(Shown.of(bundle) + ": already mounted (" + BundleLayout.MARKER + " exists);"
                    + " run jrunc umount first");
        }
        for (Path entry : BundleLayout.CREATED_ENTRIES) {
            if (Files.exists(layout.resolve(entry), LinkOption.NOFOLLOW_LINKS)) {
                throw new JruncException(Shown.of(layout.resolve(entry)) + " already exists; jrunc mount makes"
                        + " rootfs, overlay, volumes, layers and config.json itself and needs a bundle without them");
            }
        }
    }

    private static Path realFile(Path image) {
        Path absolute = image.toAbsolutePath().normalize();
        try {
            Path real = absolute.toRealPath();
            if (!Files.isRegularFile(real)) {
                throw new JruncException(Shown.of(absolute) + ": not a regular file");
            }
            return real;
        } catch (IOException e) {
            throw IoErrors.failure("cannot open image", absolute, e);
        }
    }
}
