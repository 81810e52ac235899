package org.jrunc.cli;

import picocli.CommandLine.Command;

/** `resume ID`. */
@Command(name = "resume", description = "resume all processes that have been previously paused")
public final class ResumeCommand extends ContainerIdCommand {
    @Override
    void run(GlobalOptions global, String id) {
        Operations.pause(global).resume(id);
    }
}
