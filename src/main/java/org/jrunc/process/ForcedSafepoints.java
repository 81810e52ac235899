package org.jrunc.process;

/**
 * Fault injection for the process-creation tests: with {@code -Djrunc.test.forceSafepoints=true} (the spec-tests pass
 * it through JRUNC_JAVA_OPTS) a thread of this JVM forces safepoints without pause, the condition under which a cloned
 * child that returns to Java hangs (docs/PROCESS-CREATION.md). Off, it costs one property read.
 */
public final class ForcedSafepoints implements Runnable {
    /**
     * The switch. A compile-time constant, so that a caller that checks it first does not load this class in the
     * ordinary case (nor put it into the hot commands' AOT cache, which loads all it holds at every start).
     */
    public static final String PROPERTY = "jrunc.test.forceSafepoints";

    private ForcedSafepoints() {}

    public static void start() {
        Thread t = new Thread(new ForcedSafepoints(), "forced-safepoints");
        t.setDaemon(true);
        t.start();
    }

    /** A thread dump is a global safepoint. */
    @Override
    public void run() {
        while (true) {
            Thread.getAllStackTraces();
        }
    }
}
