package org.jrunc.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Phase timings for performance work: with {@code -Djrunc.trace=FILE} (through JRUNC_JAVA_OPTS; stages inherit it)
 * every {@link #mark} appends "epoch-microseconds process phase" to FILE. A file, not stderr, because a stage's stderr
 * belongs to the container; the descriptor stays open across pivot_root. Off, a mark costs one field read.
 */
public final class Trace {
    public static final String PROPERTY = "jrunc.trace";
    private static final String FILE = System.getProperty(PROPERTY);
    private static FileOutputStream out;

    private Trace() {}

    public static boolean enabled() {
        return FILE != null;
    }

    /** The -D option that passes tracing on to a stage JVM, or null when tracing is off. */
    public static String stageOption() {
        return FILE == null ? null : "-D" + PROPERTY + "=" + FILE;
    }

    public static synchronized void mark(String process, String phase) {
        if (FILE == null) {
            return;
        }
        Instant now = Instant.now();
        long micros = now.getEpochSecond() * 1_000_000L + now.getNano() / 1000;
        try {
            if (out == null) {
                out = new FileOutputStream(FILE, true);
            }
            out.write((micros + " " + process + " " + phase + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            // tracing is best effort
        }
    }
}
