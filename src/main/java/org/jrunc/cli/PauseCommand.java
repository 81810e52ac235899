package org.jrunc.cli;

import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.container.ContainerPause;
import picocli.CommandLine.Command;

/** `pause ID`. */
@Command(name = "pause", description = "pause all processes inside the container")
public final class PauseCommand extends ContainerIdCommand {
    @Override
    void run(GlobalOptions global, String id) {
        new ContainerPause(global.store(), CgroupfsManagers.HOST).pause(id);
    }
}
