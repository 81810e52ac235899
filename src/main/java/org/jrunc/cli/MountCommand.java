package org.jrunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import org.jrunc.image.pull.PullDisplay;
import org.jrunc.image.source.ImageSource;
import org.jrunc.sifbundle.SifBundleMounter;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * `mount [--squashfuse] IMAGE BUNDLE`: an OCI bundle from a SIF or OCI-SIF image (Singularity's `oci mount`). IMAGE may
 * also be a pull source (docker://, oci:, oci-archive:, docker-archive:): it is pulled into the cache and its cached
 * OCI-SIF is mounted.
 */
@Command(
        name = "mount",
        description = "create an OCI bundle from a SIF image or a pull source: rootfs (image + writable overlay)"
                + " and config.json")
public final class MountCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = "--squashfuse",
            description = "mount with squashfuse and fuse-overlayfs instead of a loop device"
                    + " (the default when not root or without loop devices)")
    boolean squashfuse;

    @Mixin
    ImagePulls pulls;

    @Parameters(
            index = "0",
            paramLabel = "<image>",
            description = "SIF or OCI-SIF image file, or docker://REF, oci:DIR[:TAG], oci-archive:FILE[:TAG],"
                    + " docker-archive:FILE")
    String image;

    @Parameters(index = "1", paramLabel = "<bundle>", description = "bundle directory (created if missing)")
    String bundle;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            Syscalls sys = LinuxSyscalls.get();
            Path file;
            if (ImageSource.isTransport(image)) {
                try (PullDisplay display = ImagePulls.display(sys, false)) {
                    file = pulls.pull(display).toCache(ImageSource.parse(image));
                }
            } else if (pulls.anyGiven()) {
                throw new JruncException("mount: --platform, --tls-verify and --authfile apply to a pull source"
                        + " (docker://, oci:, ...), not to the image file " + image);
            } else {
                file = Path.of(image);
            }
            new SifBundleMounter(sys).mount(file, Path.of(bundle), squashfuse);
            return 0;
        });
    }
}
