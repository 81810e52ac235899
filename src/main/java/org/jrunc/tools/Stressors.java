package org.jrunc.tools;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntUnaryOperator;

/**
 * Background threads that make a JVM as hostile as it gets for a fork: one forces safepoints without pause (a thread
 * dump is a global safepoint), one allocates garbage and calls System.gc, one keeps the JIT busy with fresh code.
 * Used by the spawn stress harness; jrunc itself forces safepoints only ({@link org.jrunc.process.ForcedSafepoints}).
 */
public final class Stressors {
    private Stressors() {}

    public static List<Thread> start(AtomicBoolean running, AtomicLong work) {
        List<Thread> threads = new ArrayList<>();
        threads.add(daemon("safepoints", () -> {
            while (running.get()) {
                Thread.getAllStackTraces();
                work.incrementAndGet();
            }
        }));
        threads.add(daemon("allocator", () -> {
            long n = 0;
            while (running.get()) {
                byte[][] junk = new byte[64][];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = new byte[16 * 1024];
                }
                if (++n % 200 == 0) {
                    System.gc();
                }
                work.incrementAndGet();
            }
        }));
        threads.add(daemon("compiler", () -> {
            int salt = 0;
            while (running.get()) {
                // a new lambda shape per round keeps the JIT compiling and deoptimizing
                final int s = ++salt;
                IntUnaryOperator f = x -> (x * 31 + s) ^ (x >>> 3);
                int acc = 0;
                for (int i = 0; i < 20_000; i++) {
                    acc = f.applyAsInt(acc + i);
                }
                if (acc == 42) {
                    work.addAndGet(acc);
                }
                work.incrementAndGet();
            }
        }));
        return threads;
    }

    private static Thread daemon(String name, Runnable r) {
        Thread t = new Thread(r, "stress-" + name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
