package org.jrunc.cli;

import picocli.CommandLine.Command;

/** `state ID`. */
@Command(name = "state", description = "output the state of a container")
public final class StateCommand extends ContainerIdCommand {
    @Override
    void run(GlobalOptions global, String id) {
        System.out.print(Operations.state(global).json(id));
    }
}
