package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.container.FeaturesReport;
import org.jrunc.json.JsonWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** `features`: the runtime-spec features document. */
@Command(name = "features", description = "show the enabled features")
public final class FeaturesCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            System.out.println(JsonWriter.pretty(FeaturesReport.build()));
            return 0;
        });
    }
}
