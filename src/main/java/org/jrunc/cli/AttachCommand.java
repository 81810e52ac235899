package org.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `attach [--no-stdin] [--close-stdin] ID`: a jrunc extension, like `singularity oci attach`. */
@Command(
        name = "attach",
        description = "attach to the stdio of a container created with --attachable (jrunc "
                + "extension); detach with ctrl-p ctrl-q on a terminal, or by ending the input")
public final class AttachCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(names = "--no-stdin", description = "do not pass this command's input to the container")
    boolean noStdin;

    @Option(
            names = "--close-stdin",
            description = "when the input ends, close the container's stdin and stay "
                    + "attached until it exits (default: detach and leave the container's stdin open)")
    boolean closeStdin;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(
                parent.global, () -> Operations.attach(parent.global).attach(id, !noStdin, closeStdin));
    }
}
