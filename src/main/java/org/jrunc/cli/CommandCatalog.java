package org.jrunc.cli;

import java.util.List;

/**
 * jrunc's subcommands, created by name. picocli reflects over every registered command (their annotations cost
 * dynamic proxy classes that no class-data archive can hold), so a call registers only the command it runs; help and
 * unknown names get the whole list.
 */
final class CommandCatalog {
    static final List<String> NAMES = List.of(
            "create",
            "start",
            "state",
            "kill",
            "delete",
            "run",
            "exec",
            "pause",
            "resume",
            "ps",
            "update",
            "events",
            "features",
            "list",
            "spec",
            "checkpoint",
            "sif",
            "mount",
            "umount",
            "attach",
            "pull",
            "cache");

    private CommandCatalog() {}

    /** A new command object for {@code name}, or null if jrunc has no such command. */
    static Object create(String name) {
        switch (name) {
            case "create":
                return new CreateCommand();
            case "start":
                return new StartCommand();
            case "state":
                return new StateCommand();
            case "kill":
                return new KillCommand();
            case "delete":
                return new DeleteCommand();
            case "run":
                return new RunCommand();
            case "exec":
                return new ExecCommand();
            case "pause":
                return new PauseCommand();
            case "resume":
                return new ResumeCommand();
            case "ps":
                return new PsCommand();
            case "update":
                return new UpdateCommand();
            case "events":
                return new EventsCommand();
            case "features":
                return new FeaturesCommand();
            case "list":
                return new ListCommand();
            case "spec":
                return new SpecCommand();
            case "checkpoint":
                return new CheckpointCommand();
            case "sif":
                return new SifCommand();
            case "mount":
                return new MountCommand();
            case "umount":
                return new UmountCommand();
            case "attach":
                return new AttachCommand();
            case "pull":
                return new PullCommand();
            case "cache":
                return new CacheCommand();
            default:
                return null;
        }
    }
}
