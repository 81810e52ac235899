package org.jrunc.cli;

import org.jrunc.cgroups.manager.CgroupfsManagers;
import org.jrunc.container.ContainerDelete;
import org.jrunc.container.ContainerKill;
import org.jrunc.container.ContainerStart;
import org.jrunc.container.ContainerState;
import org.jrunc.container.Signals;
import org.jrunc.cli.PlainArgs.Flag;
import org.jrunc.cli.PlainArgs.Kind;
import java.util.List;

/**
 * The commands containerd, podman and conmon call, in the plain forms they use, parsed by hand: state, start, kill
 * and delete (several calls per container), and create, run and exec. picocli costs ~70 ms per call before it parses
 * anything (its classes predate the class-data archive's bytecode version, and its annotation reading makes proxy
 * classes at run time), more than the rest of a `state`. Anything unusual (--help, an unknown flag, a missing
 * argument) returns {@link #NOT_HANDLED} and goes to picocli, which owns usage and error messages. Both paths fill the
 * same command objects and run the same code; {@code FastPathTest} checks the flag tables against picocli's model.
 */
public final class FastPath {
    public static final int NOT_HANDLED = -1;

    static final List<Flag> DELETE_FLAGS = List.of(new Flag("force", Kind.SWITCH, "-f", "--force"));
    static final List<Flag> KILL_FLAGS = List.of(new Flag("all", Kind.SWITCH, "-a", "--all"));
    static final List<Flag> CREATE_FLAGS = List.of(
            new Flag("bundle", Kind.VALUE, "-b", "--bundle"),
            new Flag("console-socket", Kind.VALUE, "--console-socket"),
            new Flag("pidfd-socket", Kind.VALUE, "--pidfd-socket"),
            new Flag("pid-file", Kind.VALUE, "--pid-file"),
            new Flag("no-pivot", Kind.SWITCH, "--no-pivot"),
            new Flag("no-new-keyring", Kind.SWITCH, "--no-new-keyring"),
            new Flag("preserve-fds", Kind.VALUE, "--preserve-fds"),
            new Flag("attachable", Kind.SWITCH, "--attachable"));
    static final List<Flag> RUN_FLAGS = concat(CREATE_FLAGS, List.of(
            new Flag("detach", Kind.SWITCH, "-d", "--detach"),
            new Flag("keep", Kind.SWITCH, "--keep"),
            new Flag("no-subreaper", Kind.SWITCH, "--no-subreaper")));
    static final List<Flag> EXEC_FLAGS = List.of(
            new Flag("process", Kind.VALUE, "-p", "--process"),
            new Flag("tty", Kind.SWITCH, "-t", "--tty"),
            new Flag("console-socket", Kind.VALUE, "--console-socket"),
            new Flag("pidfd-socket", Kind.VALUE, "--pidfd-socket"),
            new Flag("detach", Kind.SWITCH, "-d", "--detach"),
            new Flag("pid-file", Kind.VALUE, "--pid-file"),
            new Flag("cwd", Kind.VALUE, "--cwd"),
            new Flag("env", Kind.LIST, "-e", "--env"),
            new Flag("user", Kind.VALUE, "-u", "--user"),
            new Flag("additional-gids", Kind.LIST, "-g", "--additional-gids"),
            new Flag("cap", Kind.LIST, "-c", "--cap"),
            new Flag("no-new-privs", Kind.SWITCH, "--no-new-privs"),
            new Flag("apparmor", Kind.VALUE, "-a", "--apparmor"),
            new Flag("process-label", Kind.VALUE, "--process-label"),
            new Flag("preserve-fds", Kind.VALUE, "--preserve-fds"),
            new Flag("ignore-paused", Kind.SWITCH, "--ignore-paused"),
            new Flag("cgroup", Kind.VALUE, "--cgroup"));

    private FastPath() {
    }

    public static int tryRun(String[] args) {
        GlobalOptions g = new GlobalOptions();
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            int used = global(g, args, i);
            if (used == 0) {
                return NOT_HANDLED;
            }
            i += used;
        }
        if (i >= args.length) {
            return NOT_HANDLED;
        }
        String command = args[i++];
        if (HOT.contains(command)) {
            return hot(g, command, PlainArgs.parse(args, i, command.equals("delete") ? DELETE_FLAGS
                    : command.equals("kill") ? KILL_FLAGS : List.of(), false));
        }
        java.util.concurrent.Callable<Integer> parsed;
        if (command.equals("create") || command.equals("run") || command.equals("exec")) {
            // they read and plan config.json before their first system call (CreateCommand, RunCommand,
            // ContainerExec)
            org.jrunc.sys.JnaWarmUp.start();
        }
        try {
            switch (command) {
                case "create":
                    parsed = create(g, PlainArgs.parse(args, i, CREATE_FLAGS, false));
                    break;
                case "run":
                    parsed = run(g, PlainArgs.parse(args, i, RUN_FLAGS, false));
                    break;
                case "exec":
                    parsed = exec(g, PlainArgs.parse(args, i, EXEC_FLAGS, true));
                    break;
                default:
                    return NOT_HANDLED;
            }
        } catch (NumberFormatException e) {
            return NOT_HANDLED; // picocli words the error
        }
        if (parsed == null) {
            return NOT_HANDLED;
        }
        try {
            return parsed.call();
        } catch (Exception e) {
            throw new IllegalStateException(e); // the commands' call() declares no checked exception
        }
    }

    private static final List<String> HOT = List.of("state", "start", "delete", "kill");

    private static int hot(GlobalOptions g, String command, PlainArgs a) {
        if (a == null || a.positionals.isEmpty() || a.positionals.size() > (command.equals("kill") ? 2 : 1)) {
            return NOT_HANDLED;
        }
        String id = a.positionals.get(0);
        return Commands.guard(g, () -> {
            switch (command) {
                case "state":
                    System.out.print(new ContainerState(g.store()).json(id));
                    System.out.flush();
                    break;
                case "start":
                    new ContainerStart(g.store()).start(id);
                    break;
                case "delete":
                    new ContainerDelete(g.store(), CgroupfsManagers.HOST).delete(id, a.has("force"));
                    break;
                default:
                    int sig = Signals.parse(a.positionals.size() > 1 ? a.positionals.get(1) : "SIGTERM");
                    new ContainerKill(g.store(), CgroupfsManagers.HOST).kill(id, sig, a.has("all"));
            }
            return 0;
        });
    }

    private static java.util.concurrent.Callable<Integer> create(GlobalOptions g, PlainArgs a) {
        if (a == null || a.positionals.size() != 1) {
            return null;
        }
        CreateCommand c = new CreateCommand();
        c.parent = new JruncCli(g);
        c.flags = createFlags(a);
        c.id = a.positionals.get(0);
        return c;
    }

    private static java.util.concurrent.Callable<Integer> run(GlobalOptions g, PlainArgs a) {
        if (a == null || a.positionals.size() != 1) {
            return null;
        }
        RunCommand c = new RunCommand();
        c.parent = new JruncCli(g);
        c.flags = createFlags(a);
        c.detach = a.has("detach");
        c.keep = a.has("keep");
        c.noSubreaper = a.has("no-subreaper");
        c.id = a.positionals.get(0);
        return c;
    }

    private static CreateFlags createFlags(PlainArgs a) {
        CreateFlags f = new CreateFlags();
        f.bundle = orDefault(a.value("bundle"), f.bundle);
        f.consoleSocket = orDefault(a.value("console-socket"), f.consoleSocket);
        f.pidfdSocket = orDefault(a.value("pidfd-socket"), f.pidfdSocket);
        f.pidFile = orDefault(a.value("pid-file"), f.pidFile);
        f.noPivot = a.has("no-pivot");
        f.noNewKeyring = a.has("no-new-keyring");
        f.preserveFds = a.has("preserve-fds") ? Integer.parseInt(a.value("preserve-fds")) : 0;
        f.attachable = a.has("attachable");
        return f;
    }

    private static java.util.concurrent.Callable<Integer> exec(GlobalOptions g, PlainArgs a) {
        if (a == null || a.positionals.isEmpty()) {
            return null;
        }
        ExecCommand c = new ExecCommand();
        c.parent = new JruncCli(g);
        c.processFile = a.value("process");
        c.tty = a.has("tty");
        c.consoleSocket = a.value("console-socket");
        c.pidfdSocket = a.value("pidfd-socket");
        c.detach = a.has("detach");
        c.pidFile = a.value("pid-file");
        c.cwd = a.value("cwd");
        c.env = a.all("env");
        c.user = a.value("user");
        for (String gid : a.all("additional-gids")) {
            c.additionalGids.add(Long.parseLong(gid));
        }
        c.caps = a.all("cap");
        c.noNewPrivs = a.has("no-new-privs");
        c.apparmor = a.value("apparmor");
        c.processLabel = a.value("process-label");
        c.preserveFds = a.has("preserve-fds") ? Integer.parseInt(a.value("preserve-fds")) : 0;
        c.ignorePaused = a.has("ignore-paused");
        c.cgroup = a.value("cgroup");
        c.id = a.positionals.get(0);
        c.command = new java.util.ArrayList<>(a.positionals.subList(1, a.positionals.size()));
        return c;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static List<Flag> concat(List<Flag> a, List<Flag> b) {
        List<Flag> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** The subcommand's name: the first argument after the global flags, or null when there is none. */
    static String commandName(String[] args) {
        GlobalOptions ignored = new GlobalOptions();
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            int used = global(ignored, args, i);
            if (used == 0) {
                return null;
            }
            i += used;
        }
        return i < args.length ? args[i] : null;
    }

    /** Consumes one global flag at args[i]; returns how many arguments it used, 0 if it is not one we know. */
    static int global(GlobalOptions g, String[] args, int i) {
        String a = args[i];
        String name = a.startsWith("--") ? a.substring(2) : a.substring(1);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
            value = name.substring(eq + 1);
            name = name.substring(0, eq);
        }
        switch (name) {
            case "debug":
                g.debug = value == null || Boolean.parseBoolean(value);
                return 1;
            case "systemd-cgroup":
                g.systemdCgroup = value == null || Boolean.parseBoolean(value);
                return 1;
            case "root":
            case "log":
            case "log-format":
            case "rootless":
                if (value == null) {
                    if (i + 1 >= args.length) {
                        return 0;
                    }
                    value = args[i + 1];
                }
                if (name.equals("root")) {
                    g.root = value;
                } else if (name.equals("log")) {
                    g.log = value;
                } else if (name.equals("log-format")) {
                    g.logFormat = value;
                } else {
                    g.rootless = value;
                }
                return eq >= 0 ? 1 : 2;
            default:
                return 0;
        }
    }
}
