package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.process.Signals;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `kill [--all] ID [SIGNAL]`. */
@Command(name = "kill", description = "send a signal (default: SIGTERM) to the container's init process")
public final class KillCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-a", "--all"},
            description = "send the signal to all processes in the container")
    boolean all;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1", arity = "0..1", paramLabel = "[signal]")
    String signal = "SIGTERM";

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            Operations.kill(parent.global).kill(id, Signals.parse(signal), all);
            return 0;
        });
    }
}
