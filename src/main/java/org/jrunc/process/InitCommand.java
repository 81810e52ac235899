package org.jrunc.process;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.log.Trace;

/**
 * The command line of a jrunc stage started by exec (the container init, or an exec'ed process's set-up stage): the
 * same java and jar as this process, with start-up flags tuned for a short, quiet, single-purpose JVM. The launcher
 * passes its archive flags in the system property jrunc.stagevm (newline-separated).
 */
public final class InitCommand {
    private InitCommand() {}

    public static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    public static String[] build(String mainClass, String... args) {
        return build(List.of(), mainClass, args);
    }

    /** With {@code vmOptions} after the stage's own, so they win (e.g. a smaller heap for a long-lived stage). */
    public static String[] build(List<String> vmOptions, String mainClass, String... args) {
        List<String> argv = new ArrayList<>();
        argv.add(javaBinary());
        String stage = System.getProperty("jrunc.stagevm");
        if (stage != null && !stage.isEmpty()) {
            for (String opt : stage.split("\n")) {
                if (!opt.isEmpty()) {
                    argv.add(opt);
                }
            }
        } else {
            argv.addAll(defaultOptions());
        }
        if (Trace.enabled()) {
            argv.add(Trace.stageOption());
        }
        argv.addAll(vmOptions);
        argv.add("-cp");
        argv.add(System.getProperty("java.class.path"));
        argv.add(mainClass);
        argv.addAll(List.of(args));
        return argv.toArray(new String[0]);
    }

    /**
     * Flags for a stage JVM when no launcher provided any: no JIT tiers beyond C1, serial GC, no perf-data file (it would
     * be written into /tmp of the container's mount namespace), and no VM output at all, since the stage's stdout and
     * stderr belong to the container.
     */
    static List<String> defaultOptions() {
        List<String> opts = new ArrayList<>(List.of(
                "-XX:TieredStopAtLevel=1",
                "-XX:+UseSerialGC",
                "-XX:-UsePerfData",
                "-Xss512k",
                "-Xmx64m",
                "-XX:CICompilerCount=1",
                "-Xlog:disable",
                "-Xlog:all=off",
                "-Xshare:auto",
                "-Djdk.reflect.useNativeAccessorOnly=true",
                "-Djna.nounpack=true"));
        String jnaPath = System.getProperty("jna.boot.library.path");
        if (jnaPath != null) {
            opts.add("-Djna.boot.library.path=" + jnaPath);
            opts.add("-Djna.nosys=true");
        } else {
            opts.remove("-Djna.nounpack=true");
        }
        return opts;
    }

    /** The JDK and the directory of jrunc's jar (archives, JNA stub): what a stage must not let a container write. */
    public static List<String> runtimeFiles() {
        List<String> out = new ArrayList<>();
        out.add(Path.of(System.getProperty("java.home")).toAbsolutePath().toString());
        Path jar = Path.of(System.getProperty("java.class.path").split(":")[0]).toAbsolutePath();
        Path dir = jar.getParent();
        if (dir != null && !out.contains(dir.toString())) {
            out.add(dir.toString());
        }
        return out;
    }

    /** The stage's environment: nothing of the runtime's (no JAVA_TOOL_OPTIONS can make the JVM print). */
    public static String[] environment() {
        return new String[] {"LANG=C.UTF-8"};
    }
}
