package org.jrunc.cli;

import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrunc.JruncException;
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
                events.follow(id, durationMillis(interval), System.out);
            }
            return 0;
        });
    }

    /** Go durations as runc takes them: 500ms, 5s, 1m, 1h (one unit). */
    static long durationMillis(String d) {
        Matcher m = Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|s|m|h)").matcher(d);
        if (!m.matches()) {
            throw new JruncException("invalid --interval " + d + " (e.g. 500ms, 5s, 1m)");
        }
        double v = Double.parseDouble(m.group(1));
        double factor = switch (m.group(2)) {
            case "ms" -> 1;
            case "s" -> 1000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        long ms = (long) (v * factor);
        if (ms <= 0) {
            throw new JruncException("--interval must be positive");
        }
        return ms;
    }
}
