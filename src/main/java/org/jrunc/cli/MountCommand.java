package org.jrunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.sifbundle.SifBundleMounter;
import org.jrunc.sys.LinuxSyscalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `mount [--squashfuse] IMAGE BUNDLE`: an OCI bundle from a SIF or OCI-SIF image (Singularity's `oci mount`). */
@Command(
        name = "mount",
        description = "create an OCI bundle from a SIF image: rootfs (image + writable overlay)" + " and config.json")
public final class MountCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = "--squashfuse",
            description = "mount with squashfuse and fuse-overlayfs instead of a loop device"
                    + " (the default when not root or without loop devices)")
    boolean squashfuse;

    @Parameters(index = "0", paramLabel = "<image>", description = "SIF or OCI-SIF image file")
    String image;

    @Parameters(index = "1", paramLabel = "<bundle>", description = "bundle directory (created if missing)")
    String bundle;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            new SifBundleMounter(LinuxSyscalls.get()).mount(Path.of(image), Path.of(bundle), squashfuse);
            return 0;
        });
    }
}
