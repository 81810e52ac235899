package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.ContainerRun;
import org.jrunc.container.CreateOptions;
import org.jrunc.container.CreatePlan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `run [options] ID`: create + start, and wait unless --detach. */
@Command(name = "run", description = "create and run a container")
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Mixin
    CreateFlags flags;

    @Option(
            names = {"-d", "--detach"},
            description = "detach from the container's process")
    boolean detach;

    @Option(names = "--keep", description = "do not delete the container after it exits")
    boolean keep;

    @Option(
            names = "--no-subreaper",
            description = "disable the use of the subreaper used to reap reparented processes")
    boolean noSubreaper;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            CreateOptions o = flags.toOptions(id, parent.global);
            // planned before the first system call, while JNA initialises in the background (JnaWarmUp)
            CreatePlan plan = ContainerRun.plan(o, detach);
            return Operations.run(parent.global).run(o, plan, detach, keep, !noSubreaper);
        });
    }
}
