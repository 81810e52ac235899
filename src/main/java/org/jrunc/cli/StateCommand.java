package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.ContainerState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `state ID`. */
@Command(name = "state", description = "output the state of a container")
public final class StateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            System.out.print(new ContainerState(parent.global.store()).json(id));
            return 0;
        });
    }
}
