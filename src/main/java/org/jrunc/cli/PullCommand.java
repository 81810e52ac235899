package org.jrunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.image.pull.PullDisplay;
import org.jrunc.image.source.ImageSource;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `pull [flags] SOURCE [DEST]`: an image into the cache and into an OCI-SIF file, as `singularity pull --oci`. */
@Command(
        name = "pull",
        description = "pull an image (docker://, oci:, oci-archive:, docker-archive:) into an OCI-SIF file")
public final class PullCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Mixin
    ImagePulls pulls;

    @Option(names = "--force", description = "overwrite DEST if it exists")
    boolean force;

    @Option(
            names = {"--quiet", "-q"},
            description = "print nothing but errors")
    boolean quiet;

    @Parameters(
            index = "0",
            paramLabel = "<source>",
            description = "docker://REF, oci:DIR[:TAG], oci-archive:FILE[:TAG]" + " or docker-archive:FILE")
    String source;

    @Parameters(
            index = "1",
            arity = "0..1",
            paramLabel = "<dest>",
            description = "the OCI-SIF file to write (default: NAME_TAG.oci.sif here)")
    Path dest;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            ImageSource image = ImageSource.parse(source);
            Path target = dest != null ? dest : Path.of(image.defaultFileName());
            Syscalls sys = LinuxSyscalls.get();
            try (PullDisplay display = ImagePulls.display(sys, quiet)) {
                pulls.pull(display).toFile(image, target, force, sys);
            }
            return 0;
        });
    }
}
