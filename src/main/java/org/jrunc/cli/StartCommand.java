package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.ContainerStart;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `start ID`. */
@Command(name = "start", description = "execute the user defined process in a created container")
public final class StartCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            new ContainerStart(parent.global.store()).start(id);
            return 0;
        });
    }
}
