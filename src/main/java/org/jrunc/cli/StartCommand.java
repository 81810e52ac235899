package org.jrunc.cli;

import picocli.CommandLine.Command;

/** `start ID`. */
@Command(name = "start", description = "execute the user defined process in a created container")
public final class StartCommand extends ContainerIdCommand {
    @Override
    void run(GlobalOptions global, String id) {
        Operations.start(global).start(id);
    }
}
