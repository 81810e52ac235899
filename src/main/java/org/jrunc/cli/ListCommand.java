package org.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** `list [--format table|json] [--quiet]`. */
@Command(name = "list", description = "lists containers started by jrunc with the given root")
public final class ListCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-f", "--format"},
            description = "select one of: table or json (default: table)")
    String format = "table";

    @Option(
            names = {"-q", "--quiet"},
            description = "display only container IDs")
    boolean quiet;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            System.out.print(Operations.list(parent.global).render(format, quiet));
            return 0;
        });
    }
}
