package org.jrunc.cli;

import picocli.CommandLine.Command;

/** `pause ID`. */
@Command(name = "pause", description = "pause all processes inside the container")
public final class PauseCommand extends ContainerIdCommand {
    @Override
    void run(GlobalOptions global, String id) {
        Operations.pause(global).pause(id);
    }
}
