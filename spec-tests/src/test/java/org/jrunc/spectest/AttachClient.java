package org.jrunc.spectest;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A running `jrunc attach`: input written to it as a test goes, its output collected in the background. */
final class AttachClient implements AutoCloseable {
    private final Process process;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private AttachClient(Process process) {
        this.process = process;
        pump(process.getInputStream(), out);
        pump(process.getErrorStream(), err);
    }

    static AttachClient start(Jrunc jrunc, String... args) {
        List<String> cmd = new ArrayList<>(
                List.of(Jrunc.binary().toString(), "--root", jrunc.root().toString(), "attach"));
        cmd.addAll(List.of(args));
        try {
            return new AttachClient(new ProcessBuilder(cmd).start());
        } catch (IOException e) {
            throw new AssertionError("cannot start " + cmd, e);
        }
    }

    void send(String text) throws IOException {
        OutputStream in = process.getOutputStream();
        in.write(text.getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    void closeInput() throws IOException {
        process.getOutputStream().close();
    }

    String output() {
        synchronized (out) {
            return out.toString(StandardCharsets.UTF_8);
        }
    }

    String errors() {
        synchronized (err) {
            return err.toString(StandardCharsets.UTF_8);
        }
    }

    /** Waits until stdout contains {@code text}; fails with what was seen after {@code seconds}. */
    void awaitOutput(String text, int seconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!output().contains(text)) {
            if (System.nanoTime() > deadline || (!process.isAlive() && !output().contains(text))) {
                throw new AssertionError("attach did not show \"" + text + "\"; stdout: " + output() + "\nstderr: "
                        + errors() + (process.isAlive() ? "" : "\nexited " + process.exitValue()));
            }
            Thread.sleep(20);
        }
    }

    int awaitExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("attach did not end within " + seconds + " s; stdout: " + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    private static void pump(InputStream in, ByteArrayOutputStream sink) {
        Thread t = new Thread(() -> {
            byte[] buf = new byte[4096];
            try {
                for (int n; (n = in.read(buf)) > 0; ) {
                    synchronized (sink) {
                        sink.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process went away
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
