package org.jrunc.tools;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jrunc.Pause;
import org.jrunc.config.IdMapping;
import org.jrunc.config.Namespace;
import org.jrunc.log.Log;
import org.jrunc.monitor.MonitorLaunch;
import org.jrunc.namespaces.IdMaps;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.process.InitSpawner;
import org.jrunc.process.SpawnRequest;
import org.jrunc.sys.Flags;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.PreparedSibling;
import org.jrunc.sys.Syscalls;

/**
 * The process-creation stress harness (bench/spawn-stress): N spawns through the same code path `create` uses, each
 * into fresh namespaces, while other threads force safepoints, allocate and trigger compiles. Reports hangs (a spawn
 * that never completed), watchdog retries and latency percentiles. A benchmark, not a test.
 *
 * <p>Usage: SpawnStress [--path thread|userns|sibling|pod|monitor] [--iterations N] [--no-stress]
 */
public final class SpawnStress {
    private SpawnStress() {}

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
        Log.configure(null, "text", true);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong stressWork = new AtomicLong();
        List<Thread> stressors = stress ? Stressors.start(running, stressWork) : List.of();
        SpawnRequest req = request(path.equals("userns"));
        InitSpawner spawner = new InitSpawner(sys, Long.getLong("jrunc.cloneWatchdogMs", 10_000));
        boolean monitor = path.equals("monitor");
        boolean sibling = path.equals("sibling") || path.equals("pod");
        boolean waitsForGo = path.equals("pod");
        long[] latencies = new long[iterations];
        AtomicLong progress = new AtomicLong(System.nanoTime());
        Thread watchdog = hangWatchdog(progress);
        int retries = 0;
        int hangs = 0;
        int failures = 0;
        long start = System.nanoTime();
        for (int i = 0; i < iterations; i++) {
            long t0 = System.nanoTime();
            progress.set(t0);
            try {
                if (monitor) {
                    spawnMonitor(sys);
                } else if (sibling) {
                    spawnSibling(sys, waitsForGo);
                } else {
                    InitSpawner.Spawned s = spawner.spawn(req);
                    retries += s.retries();
                    if (s.retries() > 0) {
                        System.err.println("retried: " + s);
                    }
                    int[] w = sys.waitpid(s.pid(), 0);
                    if (w[1] != 0) {
                        failures++;
                    }
                }
            } catch (RuntimeException e) {
                if (e.getMessage() != null
                        && (e.getMessage().contains("did not exec")
                                || e.getMessage().contains("did not report ready"))) {
                    hangs++;
                } else {
                    failures++;
                    System.err.println("spawn failed: " + e.getMessage());
                }
            } finally {
                latencies[i] = System.nanoTime() - t0;
            }
        }
        watchdog.interrupt();
        long total = System.nanoTime() - start;
        running.set(false);
        for (Thread t : stressors) {
            t.join();
        }
        Arrays.sort(latencies);
        System.out.printf(
                "path=%s iterations=%d stress=%s hangs=%d retries=%d failures=%d total=%.1fs "
                        + "p50=%.1fms p90=%.1fms p99=%.1fms max=%.1fms stress-ops=%d%n",
                path,
                iterations,
                stress,
                hangs,
                retries,
                failures,
                total / 1e9,
                pct(latencies, 50),
                pct(latencies, 90),
                pct(latencies, 99),
                latencies[iterations - 1] / 1e6,
                stressWork.get());
        System.exit(hangs == 0 && failures == 0 ? 0 : 1);
    }

    /**
     * The exec stage's last step (ExecAsSibling): clone(CLONE_PARENT) of this thread running a prepared chain
     * (setsid, execve), until the close-on-exec errno pipe reads end of file at the execve. With {@code waitsForGo},
     * the process of a container in a pod's pid namespace (ProcessInJoinedPidNamespace): the chain first waits for
     * a byte on a pipe, written once the clone returned. The children are the harness's siblings: its parent
     * (bench/spawn-stress's bash) reaps them. A child that never execs is a hang (the hang watchdog's 120 s).
     */
    private static void spawnSibling(Syscalls sys, boolean waitsForGo) {
        int[] errno = sys.pipe2(Flags.O_CLOEXEC);
        int[] go = waitsForGo ? sys.pipe2(Flags.O_CLOEXEC) : new int[] {-1, -1};
        PreparedSibling sibling = sys.prepareSibling(
                sys.prepareExec("/bin/true", new String[] {"/bin/true"}, new String[0]), false, errno[1], go[0]);
        sys.startSibling(sibling);
        sys.close(errno[1]);
        if (waitsForGo) {
            sys.close(go[0]);
            sys.write(go[1], new byte[] {1}, 0, 1);
            sys.close(go[1]);
        }
        int n = sys.read(errno[0], new byte[4], 0, 4);
        sys.close(errno[0]);
        if (n != 0) {
            throw new IllegalStateException("the sibling's execve failed");
        }
    }

    /**
     * The --attachable monitor's spawn (posix_spawn of a JVM in its own session, descriptors placed by file actions),
     * as create does it, until the monitor reports ready; then it is killed and reaped. A monitor that never reports
     * is a hang (MonitorLaunch gives up after 60 s).
     */
    private static void spawnMonitor(Syscalls sys) {
        Path dir;
        try {
            dir = Files.createTempDirectory("jrunc-monitor-stress");
            Files.writeString(dir.resolve("state.json"), "{}");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        MonitorLaunch m = MonitorLaunch.start(sys, dir, false);
        try {
            m.awaitReady();
        } finally {
            m.kill();
            for (String f : new String[] {"attach", "state.json", ""}) {
                dir.resolve(f).toFile().delete();
            }
        }
    }

    /** A spawn that never returns cannot be counted by the loop: this reports it and ends the run with status 2. */
    private static Thread hangWatchdog(AtomicLong progress) {
        Thread t = new Thread(
                () -> {
                    // until interrupted: the run is over
                    while (Pause.millis(1000)) {
                        if (System.nanoTime() - progress.get() > 120_000_000_000L) {
                            System.out.println("HANG: one spawn has not returned for 120 s");
                            Runtime.getRuntime().halt(2);
                        }
                    }
                },
                "hang-watchdog");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, sorted.length * p / 100)] / 1e6;
    }

    /** /bin/true in new pid, mount, uts, ipc and net namespaces, and optionally a new user namespace. */
    static SpawnRequest request(boolean userns) {
        List<Namespace> ns = new ArrayList<>(List.of(
                new Namespace("pid", null),
                new Namespace("mount", null),
                new Namespace("uts", null),
                new Namespace("ipc", null),
                new Namespace("network", null)));
        IdMaps maps = null;
        if (userns) {
            ns.add(new Namespace("user", null));
            List<IdMapping> map = List.of(new IdMapping(0L, 100000L, 65536L));
            maps = IdMaps.asRoot(map, map);
        }
        return SpawnRequest.builder()
                .argv(new String[] {"/bin/true"})
                .envp(new String[0])
                .namespaces(NamespacePlan.parse(ns))
                .idMaps(maps)
                .build();
    }
}
