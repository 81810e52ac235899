package org.jrunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `ps [--format table|json] ID`; ps(1) arguments after the id are refused (jrunc does not run ps). */
@Command(name = "ps", description = "ps displays the processes running inside a container")
public final class PsCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-f", "--format"},
            description = "select one of: table or json (default: table)")
    String format = "table";

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1..*", paramLabel = "<ps options>")
    List<String> psArgs = new ArrayList<>();

    @Override
    public Integer call() {
        return Commands.guard(parent.global, () -> {
            if (!psArgs.isEmpty()) {
                throw new JruncException("ps options are not supported by jrunc (it lists from /proc, not with ps)");
            }
            System.out.print(Operations.ps(parent.global).render(id, format));
            return 0;
        });
    }
}
