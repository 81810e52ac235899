package org.jrunc.spectest.e2e;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Jrunc;

/**
 * A private containerd (Debian's package) for one test class: its root, state and unix sockets live under a temp
 * directory, the CRI plugin is off, and it is stopped by its PID. {@link #ctr} drives it in its own namespace, with
 * containerd's io.containerd.runc.v2 shim calling bin/jrunc as its runc binary.
 */
final class ContainerdDaemon implements AutoCloseable {
    final Path dir;
    final String namespace;
    private final Process process;

    private ContainerdDaemon(Path dir, String namespace, Process process) {
        this.dir = dir;
        this.namespace = namespace;
        this.process = process;
    }

    static ContainerdDaemon start(Path dir, String namespace) throws IOException, InterruptedException {
        Files.writeString(
                dir.resolve("config.toml"),
                String.join(
                        "\n",
                        "version = 2",
                        "root = \"" + dir.resolve("root") + "\"",
                        "state = \"" + dir.resolve("state") + "\"",
                        "disabled_plugins = [\"io.containerd.grpc.v1.cri\"]",
                        "[grpc]",
                        "  address = \"" + socket(dir) + "\"",
                        "[ttrpc]",
                        "  address = \"" + socket(dir) + ".ttrpc\"",
                        "[debug]",
                        "  address = \"" + dir.resolve("debug.sock") + "\"",
                        ""));
        ProcessBuilder pb = new ProcessBuilder(
                "containerd", "--config", dir.resolve("config.toml").toString());
        pb.redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        ContainerdDaemon d = new ContainerdDaemon(dir, namespace, pb.start());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (d.ctrRaw(List.of("version"), 10).exit() != 0) {
            if (!d.process.isAlive() || System.nanoTime() > deadline) {
                String log = Files.readString(dir.resolve("containerd.log"));
                d.close();
                throw new AssertionError("containerd did not come up:\n" + log);
            }
            Thread.sleep(100);
        }
        return d;
    }

    private static Path socket(Path dir) {
        return dir.resolve("containerd.sock");
    }

    long pid() {
        return process.pid();
    }

    /** ctr against this daemon, in this test's namespace. */
    Jrunc.Result ctr(String... args) {
        return ctrRaw(List.of(args), 120);
    }

    private Jrunc.Result ctrRaw(List<String> args, int timeoutSeconds) {
        return Jrunc.raw(ctrCommand(args), Map.of(), null, timeoutSeconds);
    }

    List<String> ctrCommand(List<String> args) {
        List<String> cmd =
                new ArrayList<>(List.of("ctr", "--address", socket(dir).toString(), "--namespace", namespace));
        cmd.addAll(args);
        return cmd;
    }

    /** Stops containerd by its PID (TERM, then KILL after 20 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        HostProcesses.stop(process, 20);
    }
}
