package org.jrunc.cli;

import org.jrunc.container.ContainerDelete;
import org.jrunc.container.ContainerKill;
import org.jrunc.container.ContainerStart;
import org.jrunc.container.ContainerState;
import org.jrunc.container.Signals;

/**
 * state, start, kill and delete in their plain forms, parsed by hand. These are what containerd and podman call
 * several times per container, and picocli alone costs more start-up time than the rest of such a call
 * (docs/PERFORMANCE.md). Anything unusual (--help, an unknown flag, a missing argument) returns
 * {@link #NOT_HANDLED} and goes to picocli, which owns the error messages; both paths call the same library code.
 */
public final class FastPath {
    public static final int NOT_HANDLED = -1;

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
        boolean force = false;
        boolean all = false;
        java.util.List<String> positional = new java.util.ArrayList<>();
        for (; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--force") || a.equals("-f")) {
                if (!command.equals("delete")) {
                    return NOT_HANDLED;
                }
                force = true;
            } else if (a.equals("--all") || a.equals("-a")) {
                if (!command.equals("kill")) {
                    return NOT_HANDLED;
                }
                all = true;
            } else if (a.startsWith("-")) {
                return NOT_HANDLED;
            } else {
                positional.add(a);
            }
        }
        switch (command) {
            case "state":
            case "start":
            case "delete":
                if (positional.size() != 1) {
                    return NOT_HANDLED;
                }
                break;
            case "kill":
                if (positional.isEmpty() || positional.size() > 2) {
                    return NOT_HANDLED;
                }
                break;
            default:
                return NOT_HANDLED;
        }
        final boolean forceFlag = force;
        final boolean allFlag = all;
        return Commands.guard(g, () -> {
            String id = positional.get(0);
            switch (command) {
                case "state":
                    System.out.print(new ContainerState(g.store()).json(id));
                    System.out.flush();
                    break;
                case "start":
                    new ContainerStart(g.store()).start(id);
                    break;
                case "delete":
                    new ContainerDelete(g.store()).delete(id, forceFlag);
                    break;
                default:
                    int sig = Signals.parse(positional.size() > 1 ? positional.get(1) : "SIGTERM");
                    new ContainerKill(g.store()).kill(id, sig, allFlag);
            }
            return 0;
        });
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
