package org.jrunc.cli;

import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.log.Trace;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The picocli command tree: runc's global flags and subcommands. The global flags also take Go's single-dash form
 * ({@code -root}), as runc's do.
 */
@Command(
        name = "jrunc",
        mixinStandardHelpOptions = false,
        versionProvider = VersionInfo.class,
        description = "jrunc is an OCI container runtime written in Java, compatible with runc's command line.",
        subcommands = {CommandLine.HelpCommand.class})
public final class JruncCli implements Callable<Integer> {
    final GlobalOptions global;

    public JruncCli() {
        this(new GlobalOptions());
    }

    /** With global flags already parsed (by {@link FastPath}). */
    JruncCli(GlobalOptions global) {
        this.global = global;
    }

    @Option(
            names = {"--root", "-root"},
            description = "root directory for storage of container state (default: /run/jrunc, or "
                    + "$XDG_RUNTIME_DIR/jrunc for a rootless caller)")
    void root(String v) {
        global.root = v;
    }

    @Option(
            names = {"--log", "-log"},
            description = "set the log file to write jrunc logs to (default: stderr)")
    void log(String v) {
        global.log = v;
    }

    @Option(
            names = {"--log-format", "-log-format"},
            description = "set the log format ('text' (default), or 'json')")
    void logFormat(String v) {
        global.logFormat = v;
    }

    @Option(
            names = {"--debug", "-debug"},
            description = "enable debug logging")
    void debug(boolean v) {
        global.debug = v;
    }

    @Option(
            names = {"--systemd-cgroup", "-systemd-cgroup"},
            description = "not supported: jrunc has no systemd cgroup driver (rejected)")
    void systemdCgroup(boolean v) {
        global.systemdCgroup = v;
    }

    @Option(
            names = {"--rootless", "-rootless"},
            arity = "1",
            description = "ignore cgroup permission errors ('true', 'false', or 'auto': an unprivileged caller, or one "
                    + "in a user namespace)")
    void rootless(String v) {
        global.rootless = v;
    }

    @Option(
            names = {"-v", "--version"},
            versionHelp = true,
            description = "print the version")
    boolean version;

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show help")
    boolean help;

    @Override
    public Integer call() {
        new CommandLine(this).usage(System.err);
        return 1;
    }

    /**
     * runc answers `COMMAND --help` with the command's usage and status 0. Every subcommand gets -h/--help, except
     * checkpoint: podman reads a zero status of `checkpoint --help` as "this runtime can checkpoint".
     */
    private static void addHelpOptions(CommandLine cl) {
        for (CommandLine sub : cl.getSubcommands().values()) {
            boolean hasHelp = sub.getCommandSpec().findOption("--help") != null;
            if (!hasHelp
                    && !(sub.getCommand() instanceof CheckpointCommand)
                    && !(sub.getCommand() instanceof CommandLine.HelpCommand)) {
                sub.getCommandSpec()
                        .addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                                .usageHelp(true)
                                .description("show help")
                                .build());
            }
            addHelpOptions(sub);
        }
    }

    public static int run(String[] args) {
        CommandLine cl = new CommandLine(new JruncCli());
        Trace.mark("cli", "picocli loaded");
        String name = FastPath.commandName(args);
        Object only = name == null ? null : CommandCatalog.create(name);
        if (only != null) {
            cl.addSubcommand(name, only);
        } else {
            for (String n : CommandCatalog.NAMES) {
                cl.addSubcommand(n, CommandCatalog.create(n));
            }
        }
        if (cl.getSubcommands().containsKey("exec")) {
            // like runc, everything after the container id of exec is the command, options included (sh -c ...)
            cl.getSubcommands().get("exec").setStopAtPositional(true);
        }
        addHelpOptions(cl);
        cl.setParameterExceptionHandler((ex, a) -> {
            Commands.guard(new GlobalOptions(), () -> {
                throw new JruncException(ex.getMessage());
            });
            return 1;
        });
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            Log.error("internal error: " + ex);
            return 1;
        });
        Trace.mark("cli", "command registered");
        return cl.execute(args);
    }
}
