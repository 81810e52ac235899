package org.jrunc.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import org.jrunc.container.SpecTemplate;
import org.jrunc.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `spec [--bundle DIR] [--rootless]`: writes a starting config.json, refusing to overwrite one. */
@Command(name = "spec", description = "create a new specification file")
public final class SpecCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(names = {"-b", "--bundle"}, description = "path to the root of the bundle directory")
    String bundle = ".";

    @Option(names = "--rootless", description = "generate a configuration for a rootless container")
    boolean rootless;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            Path config = Path.of(bundle).resolve("config.json");
            if (Files.exists(config)) {
                throw new JruncException("File " + config + " exists. Remove it first");
            }
            try {
                Files.writeString(config, JsonWriter.pretty(SpecTemplate.create(rootless)) + "\n");
            } catch (IOException e) {
                throw new JruncException("cannot write " + config + ": " + e.getMessage());
            }
            return 0;
        });
    }
}
