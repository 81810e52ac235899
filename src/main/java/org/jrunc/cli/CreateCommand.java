package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.CreateOptions;
import org.jrunc.container.CreatePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `create [options] ID`. */
@Command(name = "create", description = "create a container")
public final class CreateCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Mixin
    CreateFlags flags;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            CreateOptions o = flags.toOptions(id, parent.global);
            // planned before the first system call, while JNA initialises in the background (JnaWarmUp)
            CreatePlan plan = CreatePlan.of(o);
            Operations.create(parent.global).create(o, plan);
            return 0;
        });
    }
}
