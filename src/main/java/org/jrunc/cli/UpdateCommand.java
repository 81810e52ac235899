package org.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `update [--resources FILE|-] [runc's per-field flags] ID`. */
@Command(name = "update", description = "update container resource constraints")
public final class UpdateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-r", "--resources"},
            description = "path to a file containing the resources to update, or '-' for stdin")
    String resources;

    @Mixin
    UpdateFlagOptions flags;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            Operations.update(parent.global).update(id, flags.resources(resources));
            return 0;
        });
    }
}
