package org.jrunc.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jrunc.config.IdMapping;
import org.jrunc.config.Namespace;
import org.jrunc.process.InitSpawner;
import org.jrunc.process.NamespaceKind;
import org.jrunc.process.NamespacePlan;
import org.jrunc.process.SpawnRequest;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;

/**
 * The process-creation stress harness (bench/spawn-stress): N spawns through the same code path `create` uses, each
 * into fresh namespaces, while other threads force safepoints, allocate and trigger compiles. Reports hangs (a spawn
 * that never completed), watchdog retries and latency percentiles. A benchmark, not a test.
 *
 * <p>Usage: SpawnStress [--path thread|userns] [--iterations N] [--no-stress]
 */
public final class SpawnStress {
    private SpawnStress() {
    }

    public static void main(String[] args) throws Exception {
        String path = "thread";
        int iterations = 1000;
        boolean stress = true;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--path":
                    path = args[++i];
                    break;
                case "--iterations":
                    iterations = Integer.parseInt(args[++i]);
                    break;
                case "--no-stress":
                    stress = false;
                    break;
                default:
                    throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        Syscalls sys = LinuxSyscalls.get();
        // retries are logged with where the stuck child was (wchan, syscall, kernel stack)
        org.jrunc.log.Log.configure(null, "text", true);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong stressWork = new AtomicLong();
        List<Thread> stressors = stress ? Stressors.start(running, stressWork) : List.of();
        SpawnRequest req = request(path.equals("userns"));
        InitSpawner spawner = new InitSpawner(sys, Long.getLong("jrunc.cloneWatchdogMs", 10_000));
        long[] latencies = new long[iterations];
        int retries = 0;
        int hangs = 0;
        int failures = 0;
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            try {
                InitSpawner.Spawned s = spawner.spawn(req);
                retries += s.retries();
                if (s.retries() > 0) {
                    System.err.println("retried: " + s);
                }
                int[] w = sys.waitpid(s.pid(), 0);
                if (w[1] != 0) {
                    failures++;
                }
            } catch (RuntimeException e) {
                if (e.getMessage() != null && e.getMessage().contains("did not exec")) {
                    hangs++;
                } else {
                    failures++;
                    System.err.println("spawn failed: " + e.getMessage());
                }
            }
            latencies[i] = System.nanoTime() - t0;
        }
        long total = System.nanoTime() - start;
        running.set(false);
        for (Thread t : stressors) {
            t.join();
        }
        Arrays.sort(latencies);
        System.out.printf("path=%s iterations=%d stress=%s hangs=%d retries=%d failures=%d total=%.1fs "
                        + "p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms stress-ops=%d%n",
                path, iterations, stress, hangs, retries, failures, total / 1e9, pct(latencies, 50), pct(latencies, 90),
                pct(latencies, 99), latencies[iterations - 1] / 1e6, stressWork.get());
        System.exit(hangs == 0 && failures == 0 ? 0 : 1);
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** /bin/true in new pid, mount, uts, ipc and net namespaces, and optionally a new user namespace. */
    static SpawnRequest request(boolean userns) {
        List<Namespace> ns = new ArrayList<>(List.of(new Namespace("pid", null), new Namespace("mount", null),
                new Namespace("uts", null), new Namespace("ipc", null), new Namespace("network", null)));
        List<IdMapping> map = null;
        if (userns) {
            ns.add(new Namespace("user", null));
            map = List.of(new IdMapping(0L, 100000L, 65536L));
        }
        return new SpawnRequest(new String[] {"/bin/true"}, new String[0], NamespacePlan.parse(ns),
                EnumSet.noneOf(NamespaceKind.class), map, map, Map.of(), new int[0], new int[0], new int[0], List.of(), null);
    }
}
