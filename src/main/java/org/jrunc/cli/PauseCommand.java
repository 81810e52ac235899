package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.ContainerPause;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `pause ID`. */
@Command(name = "pause", description = "pause all processes inside the container")
public final class PauseCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            new ContainerPause(parent.global.store()).pause(id);
            return 0;
        });
    }
}
