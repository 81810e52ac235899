package org.jrunc.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Unmatched;

/**
 * `checkpoint`: not implemented. It exits non-zero for every form, --help included, because podman runs
 * `checkpoint --help` to decide whether the runtime can checkpoint.
 */
@Command(name = "checkpoint", description = "not supported by jrunc", helpCommand = false)
public final class CheckpointCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Unmatched
    java.util.List<String> ignored;

    @Parameters(arity = "0..*")
    java.util.List<String> args;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            throw new org.jrunc.JruncException("checkpoint is not supported by jrunc (no CRIU integration)");
        });
    }
}
