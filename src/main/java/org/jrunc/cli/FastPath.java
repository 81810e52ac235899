package org.jrunc.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jrunc.cli.PlainArgs.Flag;
import org.jrunc.cli.PlainArgs.Kind;
import org.jrunc.container.ContainerEvents;
import org.jrunc.process.Signals;
import org.jrunc.sys.JnaWarmUp;

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
    static final List<Flag> RUN_FLAGS = concat(
            CREATE_FLAGS,
            List.of(
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
    /** The commands this class runs and the flags each takes; any other command goes to picocli. */
    static final List<Flag> PS_FLAGS = List.of(new Flag("format", Kind.VALUE, "-f", "--format"));

    static final List<Flag> LIST_FLAGS =
            List.of(new Flag("format", Kind.VALUE, "-f", "--format"), new Flag("quiet", Kind.SWITCH, "-q", "--quiet"));
    static final List<Flag> EVENTS_FLAGS =
            List.of(new Flag("interval", Kind.VALUE, "--interval"), new Flag("stats", Kind.SWITCH, "--stats"));
    /** update's flags: --resources and runc's per-field flags, all with a value ({@link UpdateFlagOptions}). */
    static final List<Flag> UPDATE_FLAGS = List.of(
            new Flag("resources", Kind.VALUE, "-r", "--resources"),
            new Flag("blkio-weight", Kind.VALUE, "--blkio-weight"),
            new Flag("cpu-period", Kind.VALUE, "--cpu-period"),
            new Flag("cpu-quota", Kind.VALUE, "--cpu-quota"),
            new Flag("cpu-burst", Kind.VALUE, "--cpu-burst"),
            new Flag("cpu-share", Kind.VALUE, "--cpu-share"),
            new Flag("cpu-rt-period", Kind.VALUE, "--cpu-rt-period"),
            new Flag("cpu-rt-runtime", Kind.VALUE, "--cpu-rt-runtime"),
            new Flag("cpuset-cpus", Kind.VALUE, "--cpuset-cpus"),
            new Flag("cpuset-mems", Kind.VALUE, "--cpuset-mems"),
            new Flag("cpu-idle", Kind.VALUE, "--cpu-idle"),
            new Flag("memory", Kind.VALUE, "--memory"),
            new Flag("memory-reservation", Kind.VALUE, "--memory-reservation"),
            new Flag("memory-swap", Kind.VALUE, "--memory-swap"),
            new Flag("pids-limit", Kind.VALUE, "--pids-limit"),
            new Flag("l3-cache-schema", Kind.VALUE, "--l3-cache-schema"),
            new Flag("mem-bw-schema", Kind.VALUE, "--mem-bw-schema"),
            new Flag("kernel-memory", Kind.VALUE, "--kernel-memory", "--kernel-memory-tcp"));

    static final Map<String, List<Flag>> COMMAND_FLAGS = Map.ofEntries(
            Map.entry("state", List.of()),
            Map.entry("start", List.of()),
            Map.entry("delete", DELETE_FLAGS),
            Map.entry("kill", KILL_FLAGS),
            Map.entry("create", CREATE_FLAGS),
            Map.entry("run", RUN_FLAGS),
            Map.entry("exec", EXEC_FLAGS),
            Map.entry("pause", List.of()),
            Map.entry("resume", List.of()),
            Map.entry("ps", PS_FLAGS),
            Map.entry("list", LIST_FLAGS),
            Map.entry("events", EVENTS_FLAGS),
            Map.entry("update", UPDATE_FLAGS));
    /**
     * runc's global flags as {@link JruncCli} declares them: {@code --name}, or Go's {@code -name}, which runc takes
     * too. A switch also takes {@code --name=true|false}; -h/--help and -v/--version go to picocli.
     */
    static final List<Flag> GLOBAL_FLAGS = List.of(
            new Flag("root", Kind.VALUE, "--root", "-root"),
            new Flag("log", Kind.VALUE, "--log", "-log"),
            new Flag("log-format", Kind.VALUE, "--log-format", "-log-format"),
            new Flag("debug", Kind.SWITCH, "--debug", "-debug"),
            new Flag("systemd-cgroup", Kind.SWITCH, "--systemd-cgroup", "-systemd-cgroup"),
            new Flag("rootless", Kind.VALUE, "--rootless", "-rootless"));

    private FastPath() {}

    public static int tryRun(String[] args) {
        GlobalOptions g = new GlobalOptions();
        int i = globals(g, args);
        if (i < 0 || i >= args.length) {
            return NOT_HANDLED;
        }
        String command = args[i++];
        List<Flag> flags = COMMAND_FLAGS.get(command);
        if (flags == null) {
            return NOT_HANDLED;
        }
        if (HOT.contains(command)) {
            return hot(g, command, PlainArgs.parse(args, i, flags, false));
        }
        if (MANAGE.contains(command)) {
            return manage(g, command, PlainArgs.parse(args, i, flags, false));
        }
        Callable<Integer> parsed;
        if (command.equals("create") || command.equals("run") || command.equals("exec")) {
            // they read and plan config.json before their first system call (CreateCommand, RunCommand,
            // ContainerExec)
            JnaWarmUp.start();
        }
        try {
            switch (command) {
                case "create":
                    parsed = create(g, PlainArgs.parse(args, i, flags, false));
                    break;
                case "run":
                    parsed = run(g, PlainArgs.parse(args, i, flags, false));
                    break;
                case "exec":
                    parsed = exec(g, PlainArgs.parse(args, i, flags, true));
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

    /**
     * What containerd, podman and kubelet call to manage a running container (task pause/resume, task ps, metrics
     * through events --stats, list, task update): parsed here too, so that none of them pays for picocli; they have
     * an AOT cache of their own (bin/jrunc).
     */
    private static final List<String> MANAGE = List.of("pause", "resume", "ps", "list", "events", "update");

    private static int manage(GlobalOptions g, String command, PlainArgs a) {
        if (a == null || a.positionals.size() != (command.equals("list") ? 0 : 1)) {
            return NOT_HANDLED; // ps arguments after the id, a missing id: picocli words the error
        }
        String id = command.equals("list") ? null : a.positionals.get(0);
        String format = a.value("format") == null ? "table" : a.value("format");
        UpdateFlagOptions update;
        try {
            update = command.equals("update") ? UpdateFlagOptions.from(a) : null;
        } catch (NumberFormatException e) {
            return NOT_HANDLED; // picocli words the error
        }
        return Commands.guard(g, () -> {
            switch (command) {
                case "update":
                    Operations.update(g).update(id, update.resources(a.value("resources")));
                    break;
                case "pause":
                    Operations.pause(g).pause(id);
                    break;
                case "resume":
                    Operations.pause(g).resume(id);
                    break;
                case "ps":
                    System.out.print(Operations.ps(g).render(id, format));
                    break;
                case "list":
                    System.out.print(Operations.list(g).render(format, a.has("quiet")));
                    break;
                default:
                    if (a.has("stats")) {
                        Operations.events(g).stats(id, System.out);
                    } else {
                        String interval = a.value("interval") == null ? "5s" : a.value("interval");
                        Operations.events(g).follow(id, ContainerEvents.intervalMillis(interval), System.out);
                    }
            }
            System.out.flush();
            return 0;
        });
    }

    private static int hot(GlobalOptions g, String command, PlainArgs a) {
        if (a == null || a.positionals.isEmpty() || a.positionals.size() > (command.equals("kill") ? 2 : 1)) {
            return NOT_HANDLED;
        }
        String id = a.positionals.get(0);
        return Commands.guard(g, () -> {
            switch (command) {
                case "state":
                    System.out.print(Operations.state(g).json(id));
                    System.out.flush();
                    break;
                case "start":
                    Operations.start(g).start(id);
                    break;
                case "delete":
                    Operations.delete(g).delete(id, a.has("force"));
                    break;
                default:
                    int sig = Signals.parse(a.positionals.size() > 1 ? a.positionals.get(1) : "SIGTERM");
                    Operations.kill(g).kill(id, sig, a.has("all"));
            }
            return 0;
        });
    }

    private static Callable<Integer> create(GlobalOptions g, PlainArgs a) {
        if (a == null || a.positionals.size() != 1) {
            return null;
        }
        CreateCommand c = new CreateCommand();
        c.parent = new JruncCli(g);
        c.flags = createFlags(a);
        c.id = a.positionals.get(0);
        return c;
    }

    private static Callable<Integer> run(GlobalOptions g, PlainArgs a) {
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

    private static Callable<Integer> exec(GlobalOptions g, PlainArgs a) {
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
        c.command = new ArrayList<>(a.positionals.subList(1, a.positionals.size()));
        return c;
    }

    private static String orDefault(String value, String fallback) {
        return value == null ? fallback : value;
    }

    private static List<Flag> concat(List<Flag> a, List<Flag> b) {
        List<Flag> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }

    /** The subcommand's name: the first argument after the global flags, or null when there is none. */
    static String commandName(String[] args) {
        int i = globals(new GlobalOptions(), args);
        return i >= 0 && i < args.length ? args[i] : null;
    }

    /**
     * Reads the global flags at the start of {@code args} into {@code g}; returns the index of the first argument
     * after them, or -1 if they are not in a form this class takes.
     */
    static int globals(GlobalOptions g, String[] args) {
        List<String> seen = new ArrayList<>();
        int i = 0;
        while (i < args.length && args[i].startsWith("-")) {
            int used = global(g, args, i, seen);
            if (used == 0) {
                return -1;
            }
            i += used;
        }
        return i;
    }

    /**
     * Consumes one global flag at args[i]; returns how many arguments it used, 0 if it is not one we know or is one
     * already {@code seen} (picocli refuses a repeated option).
     */
    private static int global(GlobalOptions g, String[] args, int i, List<String> seen) {
        String a = args[i];
        int eq = a.indexOf('=');
        Flag flag = PlainArgs.find(GLOBAL_FLAGS, eq >= 0 ? a.substring(0, eq) : a);
        if (flag == null || seen.contains(flag.key())) {
            return 0;
        }
        seen.add(flag.key());
        String value = eq >= 0 ? a.substring(eq + 1) : null;
        if (!flag.takesValue()) {
            if (value != null && !value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
                return 0; // picocli words the error
            }
            boolean on = value == null || Boolean.parseBoolean(value);
            switch (flag.key()) {
                case "debug":
                    g.debug = on;
                    break;
                case "systemd-cgroup":
                    g.systemdCgroup = on;
                    break;
                default:
                    throw new IllegalStateException("global flag without a field: " + flag.key());
            }
            return 1;
        }
        if (value == null) {
            if (i + 1 >= args.length) {
                return 0;
            }
            value = args[i + 1];
        }
        switch (flag.key()) {
            case "root":
                g.root = value;
                break;
            case "log":
                g.log = value;
                break;
            case "log-format":
                g.logFormat = value;
                break;
            case "rootless":
                g.rootless = value;
                break;
            default:
                throw new IllegalStateException("global flag without a field: " + flag.key());
        }
        return eq >= 0 ? 1 : 2;
    }
}
