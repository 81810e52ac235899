package org.jrunc.spectest;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs bin/jrunc as a separate process, the way containerd and podman do, with a private --root. */
public final class Jrunc {
    /** What a call printed and returned. */
    public record Result(int exit, String out, String err) {
        public Result ok() {
            if (exit != 0) {
                throw new AssertionError("jrunc exited " + exit + "\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }

        public Result fails() {
            if (exit == 0) {
                throw new AssertionError("jrunc unexpectedly succeeded\nstdout: " + out + "\nstderr: " + err);
            }
            return this;
        }
    }

    public static Path home() {
        return Path.of(System.getProperty("jrunc.home", ".")).toAbsolutePath().normalize();
    }

    public static Path binary() {
        return home().resolve("bin/jrunc");
    }

    private final Path root;

    public Jrunc(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    public Result run(String... args) {
        return exec(Map.of(), null, args);
    }

    /** With extra environment and optional stdin. */
    public Result exec(Map<String, String> env, byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary().toString());
        cmd.add("--root");
        cmd.add(root.toString());
        cmd.addAll(List.of(args));
        return raw(cmd, env, stdin, 120);
    }

    /**
     * Any command line, with a timeout in seconds; stdout and stderr captured separately. They go to files, not
     * pipes: a created container inherits jrunc's stdio and keeps it open after jrunc exits, as with runc.
     */
    public static Result raw(List<String> cmd, Map<String, String> env, byte[] stdin, int timeoutSeconds) {
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().putAll(env);
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("jrunc-out", ".txt");
            err = Files.createTempFile("jrunc-err", ".txt");
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            if (stdin == null) {
                pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            }
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
                p.getOutputStream().close();
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("timed out after " + timeoutSeconds + "s: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (IOException e) {
            throw new AssertionError("cannot run " + cmd + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a temp file
            }
        }
    }

    private static Thread pump(InputStream in, ByteArrayOutputStream out) {
        Thread t = new Thread(() -> {
            try {
                in.transferTo(out);
            } catch (IOException e) {
                // the process went away
            }
        });
        t.setDaemon(true);
        t.start();
        return t;
    }
}
