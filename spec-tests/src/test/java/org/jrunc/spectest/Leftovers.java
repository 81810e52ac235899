package org.jrunc.spectest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a test may leave behind, read from the kernel: cgroup directories under any hierarchy's /jrunc, the host's
 * mount table, jrunc init and attach-monitor processes (found by the main class on their command line), and loop
 * devices. A snapshot before the test is compared with one after it.
 */
public record Leftovers(Set<String> cgroups, int mounts, Set<Integer> initProcesses, Set<String> loopDevices) {

    public static Leftovers take() {
        return new Leftovers(jruncCgroups(), mountCount(), listInitProcesses(), listLoopDevices());
    }

    /** Describes what is new in {@code after}; empty when nothing was left. */
    public static List<String> diff(Leftovers before, Leftovers after) {
        List<String> problems = new ArrayList<>();
        for (String c : after.cgroups) {
            if (!before.cgroups.contains(c)) {
                problems.add("cgroup left: " + c);
            }
        }
        if (after.mounts != before.mounts) {
            problems.add("host mount count changed: " + before.mounts + " -> " + after.mounts);
        }
        for (int pid : after.initProcesses) {
            if (!before.initProcesses.contains(pid)) {
                problems.add("jrunc init or monitor process left: " + pid);
            }
        }
        for (String l : after.loopDevices) {
            if (!before.loopDevices.contains(l)) {
                problems.add("loop device left: " + l);
            }
        }
        return problems;
    }

    static Set<String> jruncCgroups() {
        Set<String> out = new TreeSet<>();
        for (Path base : List.of(Path.of("/sys/fs/cgroup"))) {
            try (Stream<Path> hierarchies = Files.list(base)) {
                for (Path h : (Iterable<Path>) hierarchies::iterator) {
                    Path jrunc = h.resolve("jrunc");
                    if (Files.isDirectory(jrunc)) {
                        try (Stream<Path> s = Files.walk(jrunc, 4)) {
                            s.filter(Files::isDirectory)
                                    .filter(p -> !p.equals(jrunc))
                                    .forEach(p -> out.add(p.toString()));
                        }
                    }
                }
            } catch (IOException e) {
                // no cgroupfs
            }
            Path jrunc = base.resolve("jrunc");
            if (Files.isDirectory(jrunc) && Files.exists(base.resolve("cgroup.controllers"))) {
                try (Stream<Path> s = Files.walk(jrunc, 4)) {
                    s.filter(Files::isDirectory).filter(p -> !p.equals(jrunc)).forEach(p -> out.add(p.toString()));
                } catch (IOException e) {
                    // vanished
                }
            }
        }
        return out;
    }

    static int mountCount() {
        try {
            return (int) new String(Files.readAllBytes(Path.of("/proc/self/mountinfo")), StandardCharsets.UTF_8)
                    .lines()
                    .count();
        } catch (IOException e) {
            return -1;
        }
    }

    static Set<Integer> listInitProcesses() {
        Set<Integer> out = new TreeSet<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains("org.jrunc.stage.") || cmd.contains("org.jrunc.monitor.")) {
                        out.add(Integer.parseInt(name));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            // no procfs
        }
        return out;
    }

    static Set<String> listLoopDevices() {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> s = Files.list(Path.of("/sys/block"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().startsWith("loop") && Files.exists(p.resolve("loop/backing_file"))) {
                    out.add(p.getFileName() + "="
                            + Files.readString(p.resolve("loop/backing_file")).trim());
                }
            }
        } catch (IOException e) {
            // none
        }
        return out;
    }
}
