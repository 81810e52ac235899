package org.jrunc.cli;

import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.container.ContainerPause;
import picocli.CommandLine.Command;

/** `resume ID`. */
@Command(name = "resume", description = "resume all processes that have been previously paused")
public final class ResumeCommand extends ContainerIdCommand {
    @Override
    void run(GlobalOptions global, String id) {
        new ContainerPause(global.store(), CgroupfsManagers.HOST).resume(id);
    }
}
