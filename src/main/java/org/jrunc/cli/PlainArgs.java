package org.jrunc.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A command's arguments in the plain forms containerd, podman and conmon use: flags first ({@code --name value},
 * {@code --name=value}, {@code -n value}, boolean {@code --name}), then positional arguments. Anything else (an unknown
 * flag, --help, clustered short flags, a flag after a positional, a missing value) makes {@link #parse} return null,
 * and the call goes to picocli, which owns usage and error messages.
 */
final class PlainArgs {
    /** How a flag is used: alone, with one value, or with a value each time it is repeated. */
    enum Kind {
        SWITCH,
        VALUE,
        LIST
    }

    /** A flag: the key it is stored under, its kind, and every name it answers to. */
    record Flag(String key, Kind kind, String... names) {
        boolean takesValue() {
            return kind != Kind.SWITCH;
        }
    }

    private final Map<String, List<String>> values = new HashMap<>();
    final List<String> positionals = new ArrayList<>();

    private PlainArgs() {}

    /**
     * Parses {@code args[from..]}. With {@code restAfterFirstPositional} (exec), everything after the first
     * positional argument is positional too, options included, as in {@code exec ID sh -c ...}.
     */
    static PlainArgs parse(String[] args, int from, List<Flag> flags, boolean restAfterFirstPositional) {
        PlainArgs out = new PlainArgs();
        for (int i = from; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("-") || a.equals("-")) {
                if (restAfterFirstPositional) {
                    out.positionals.addAll(List.of(args).subList(i, args.length));
                    return out;
                }
                out.positionals.add(a);
                continue;
            }
            if (!out.positionals.isEmpty() || a.equals("--")) {
                return null;
            }
            int eq = a.indexOf('=');
            String name = eq > 0 && a.startsWith("--") ? a.substring(0, eq) : a;
            Flag flag = find(flags, name);
            if (flag == null) {
                return null;
            }
            String value;
            if (!flag.takesValue()) {
                if (eq > 0 && a.startsWith("--")) {
                    return null;
                }
                value = "true";
            } else if (eq > 0 && a.startsWith("--")) {
                value = a.substring(eq + 1);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                return null;
            }
            if (flag.kind() != Kind.LIST && out.values.containsKey(flag.key())) {
                return null; // picocli's rule for a repeated single option
            }
            out.values.computeIfAbsent(flag.key(), k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    static Flag find(List<Flag> flags, String name) {
        for (Flag f : flags) {
            for (String n : f.names()) {
                if (n.equals(name)) {
                    return f;
                }
            }
        }
        return null;
    }

    boolean has(String key) {
        return values.containsKey(key);
    }

    /** The last value given for {@code key} (picocli's rule for a repeated single-value option), or null. */
    String value(String key) {
        List<String> v = values.get(key);
        return v == null ? null : v.get(v.size() - 1);
    }

    List<String> all(String key) {
        List<String> v = values.get(key);
        return v == null ? new ArrayList<>() : new ArrayList<>(v);
    }
}
