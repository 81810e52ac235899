package org.jrunc.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.container.SpecFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `spec [--bundle DIR] [--rootless]`: writes a starting config.json, refusing to overwrite one. */
@Command(name = "spec", description = "create a new specification file")
public final class SpecCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-b", "--bundle"},
            description = "path to the root of the bundle directory")
    String bundle = ".";

    @Option(names = "--rootless", description = "generate a configuration for a rootless container")
    boolean rootless;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            SpecFile.write(Path.of(bundle), rootless);
            return 0;
        });
    }
}
