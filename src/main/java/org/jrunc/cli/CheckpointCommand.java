package org.jrunc.cli;

import java.util.List;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
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
    List<String> ignored;

    @Parameters(arity = "0..*")
    List<String> args;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            throw new JruncException("checkpoint is not supported by jrunc (no CRIU integration)");
        });
    }
}
