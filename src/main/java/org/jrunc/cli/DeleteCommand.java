package org.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `delete [--force] ID`. */
@Command(name = "delete", description = "delete any resources held by the container")
public final class DeleteCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-f", "--force"},
            description = "forcibly delete the container if it is still running (SIGKILL)")
    boolean force;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            Operations.delete(parent.global).delete(id, force);
            return 0;
        });
    }
}
