package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.ContainerPause;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `resume ID`. */
@Command(name = "resume", description = "resume all processes that have been previously paused")
public final class ResumeCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            new ContainerPause(parent.global.store()).resume(id);
            return 0;
        });
    }
}
