package org.jrunc.log;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jrunc.json.JsonWriter;

/**
 * runc-compatible logging. With --log FILE, entries go to that file in text or JSON ({"level","msg","time"} lines, which
 * containerd and podman read back), and errors are also printed plainly on stderr. Without --log, entries go to stderr
 * in logrus's text format, as runc prints them.
 */
public final class Log {
    private static volatile String file;
    private static volatile boolean json;
    private static volatile boolean debug;
    private static volatile PrintStream stderr = System.err;

    private Log() {}

    public static void configure(String logFile, String format, boolean debugEnabled) {
        file = logFile == null || logFile.isEmpty() ? null : logFile;
        json = "json".equals(format);
        debug = debugEnabled;
    }

    /** Redirects the stderr copy (tests). */
    public static void setStderr(PrintStream err) {
        stderr = err;
    }

    public static boolean isDebug() {
        return debug;
    }

    public static void error(String msg) {
        write("error", msg);
        if (file != null) {
            stderr.println(msg);
        }
    }

    public static void warn(String msg) {
        write("warning", msg);
    }

    public static void info(String msg) {
        write("info", msg);
    }

    public static void debug(String msg) {
        if (debug) {
            write("debug", msg);
        }
    }

    private static void write(String level, String msg) {
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String line = json ? jsonLine(level, msg, time) : textLine(level, msg, time);
        if (file == null) {
            stderr.println(line);
            return;
        }
        try (OutputStream out = new FileOutputStream(file, true)) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            stderr.println(textLine(level, msg, time));
        }
    }

    /** One line in the configured format, for writers that cannot use this class's sinks (the init stage). */
    public static String format(String level, String msg, boolean asJson) {
        String time = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        return asJson ? jsonLine(level, msg, time) : textLine(level, msg, time);
    }

    /** Loads the formatting classes (archive training). */
    public static void jsonLineForTraining() {
        format("error", "training", true);
        format("error", "training", false);
    }

    static String jsonLine(String level, String msg, String time) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("level", level);
        m.put("msg", msg);
        m.put("time", time);
        return JsonWriter.compact(m);
    }

    static String textLine(String level, String msg, String time) {
        return "time=\"" + time + "\" level=" + level + " msg=" + quote(msg);
    }

    private static String quote(String msg) {
        return "\"" + msg.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}
