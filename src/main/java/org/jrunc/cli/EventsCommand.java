package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.ContainerEvents;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `events [--stats] [--interval 5s] ID`. */
@Command(
        name = "events",
        description = "display container events such as OOM notifications and cpu, memory, and IO usage statistics")
public final class EventsCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(names = "--interval", description = "set the stats collection interval (default: 5s)")
    String interval = "5s";

    @Option(names = "--stats", description = "display the container's stats then exit")
    boolean stats;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            ContainerEvents events = Operations.events(parent.global);
            if (stats) {
                events.stats(id, System.out);
            } else {
                events.follow(id, ContainerEvents.intervalMillis(interval), System.out);
            }
            return 0;
        });
    }
}
