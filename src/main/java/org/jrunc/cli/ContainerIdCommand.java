package org.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** A subcommand whose only argument is the container ID (start, state, pause, resume). */
abstract class ContainerIdCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    /** The operation, on the state store chosen by the global flags. */
    abstract void run(GlobalOptions global, String id);

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            run(parent.global, id);
            return 0;
        });
    }
}
