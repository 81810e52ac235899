package org.jrunc.spectest.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Host processes found by their command line, to prove a daemon or shim really went away. */
public final class HostProcesses {
    private HostProcesses() {}

    /** Pids whose NUL-separated command line contains {@code fragment}. */
    public static List<Long> withCommandLineContaining(String fragment) {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                String name = p.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)
                        || Long.parseLong(name) == ProcessHandle.current().pid()) {
                    continue;
                }
                try {
                    String cmd = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmd.contains(fragment)) {
                        out.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // exited meanwhile
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list /proc", e);
        }
        return out;
    }

    /** Stops a daemon the test started, by its PID: TERM, then KILL after {@code graceSeconds}; waits for it. */
    public static void stop(Process process, int graceSeconds) throws InterruptedException {
        ProcessHandle h = process.toHandle();
        h.destroy();
        if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) {
            h.destroyForcibly();
            process.waitFor();
        }
    }

    public static boolean alive(long pid) {
        return Files.exists(Path.of("/proc/" + pid));
    }

    /** Waits up to {@code seconds} for {@code pid} to exit (zombies of other parents count as gone). */
    public static boolean awaitExit(long pid, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (!alive(pid) || isZombie(pid)) {
                return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    private static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException e) {
            return true;
        }
    }

    /** Recursively removes a directory tree that holds no mounts any more. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Cgroup directories named {@code name} directly under any hierarchy, with their subdirectories. */
    static List<String> cgroupsUnder(String name) {
        List<String> out = new ArrayList<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : (Iterable<Path>) hierarchies::iterator) {
                Path top = h.resolve(name);
                if (Files.isDirectory(top)) {
                    try (Stream<Path> s = Files.walk(top, 3)) {
                        s.filter(Files::isDirectory).forEach(p -> out.add(p.toString()));
                    }
                }
            }
        } catch (IOException e) {
            throw new AssertionError("cannot list cgroups", e);
        }
        return out;
    }

    /** Removes the (empty) cgroups named {@code name} under every hierarchy, deepest first. */
    static void removeCgroups(String name) throws IOException {
        for (String cg : cgroupsUnder(name).stream()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList()) {
            Files.deleteIfExists(Path.of(cg));
        }
    }
}
