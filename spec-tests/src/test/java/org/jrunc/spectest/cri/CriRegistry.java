package org.jrunc.spectest.cri;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jrunc.spectest.e2e.HostProcesses;

/**
 * Debian's docker-registry on 127.0.0.1:5000 inside the suite's network namespace (where that port is free), storage
 * under DIR/storage: what containerd's registry mirrors point at. {@link #close} stops it by its PID and deletes the
 * storage; DIR/registry.log stays.
 */
final class CriRegistry implements AutoCloseable {
    static final String ADDRESS = "127.0.0.1:5000";

    private final Path dir;
    private final Process process;

    private CriRegistry(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static CriRegistry start(NetworkNamespace netns, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path config = dir.resolve("config.yml");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "version: 0.1",
                        "log:",
                        "  level: warn",
                        "storage:",
                        "  filesystem:",
                        "    rootdirectory: " + dir.resolve("storage"),
                        "http:",
                        "  addr: " + ADDRESS,
                        ""));
        ProcessBuilder pb = new ProcessBuilder(netns.command(List.of("docker-registry", "serve", config.toString())));
        pb.redirectErrorStream(true).redirectOutput(dir.resolve("registry.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        CriRegistry registry = new CriRegistry(dir, pb.start());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        List<String> ping = List.of("busybox", "wget", "-q", "-O", "/dev/null", "http://" + ADDRESS + "/v2/");
        while (netns.run(ping, 10).exit() != 0) {
            if (!registry.process.isAlive() || System.nanoTime() > deadline) {
                registry.close();
                throw new AssertionError(
                        "docker-registry did not come up:\n" + Files.readString(dir.resolve("registry.log")));
            }
            Thread.sleep(100);
        }
        return registry;
    }

    /** {@code 127.0.0.1:5000/REPOSITORY:TAG}. */
    static String reference(String repository, String tag) {
        return ADDRESS + "/" + repository + ":" + tag;
    }

    @Override
    public void close() throws IOException, InterruptedException {
        HostProcesses.stop(process, 10);
        HostProcesses.deleteTree(dir.resolve("storage"));
    }
}
