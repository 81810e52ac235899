package org.jrunc.spectest.image;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.e2e.HostProcesses;

/**
 * Debian's docker-registry (the CNCF distribution registry) on 127.0.0.1 at a free port, for one test: filesystem
 * storage under DIR/storage, optionally htpasswd basic auth, relative Location headers (so a {@link RegistryFront}
 * in front of it needs no rewriting). {@link #close} stops it by its PID and deletes the storage; its log,
 * DIR/registry.log, stays for failure messages.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final int START_ATTEMPTS = 3;

    private final Path dir;
    private final int port;
    private final Optional<Credentials> credentials;
    private final Process process;

    private LocalRegistry(Path dir, int port, Optional<Credentials> credentials, Process process) {
        this.dir = dir;
        this.port = port;
        this.credentials = credentials;
        this.process = process;
    }

    /** A registry anyone may pull from and push to. */
    public static LocalRegistry start(Path dir) throws IOException, InterruptedException {
        return start(dir, Optional.empty());
    }

    /** A registry that wants {@code credentials} (htpasswd, bcrypt) for every request, /v2/ included. */
    public static LocalRegistry startWithBasicAuth(Path dir, Credentials credentials)
            throws IOException, InterruptedException {
        return start(dir, Optional.of(credentials));
    }

    private static LocalRegistry start(Path dir, Optional<Credentials> credentials)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        if (credentials.isPresent()) {
            Credentials c = credentials.get();
            Jrunc.Result r = Jrunc.raw(List.of("htpasswd", "-Bbn", c.user(), c.password()), Map.of(), null, 60);
            if (r.exit() != 0) {
                throw new AssertionError("htpasswd failed: " + r.err());
            }
            Files.writeString(dir.resolve("htpasswd"), r.out());
        }
        // the port is free when probed and may be taken before the registry binds it: then the registry exits, and
        // another port is tried
        for (int attempt = 1; ; attempt++) {
            int port = freePort();
            writeConfig(dir, port, credentials.isPresent());
            ProcessBuilder pb =
                    new ProcessBuilder("docker-registry", "serve", config(dir).toString());
            pb.redirectErrorStream(true)
                    .redirectOutput(
                            ProcessBuilder.Redirect.appendTo(logFile(dir).toFile()));
            pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            LocalRegistry registry = new LocalRegistry(dir, port, credentials, pb.start());
            if (registry.awaitReady()) {
                return registry;
            }
            registry.close();
            if (attempt == START_ATTEMPTS) {
                throw new AssertionError("docker-registry did not come up:\n" + Files.readString(logFile(dir)));
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private static void writeConfig(Path dir, int port, boolean basicAuth) throws IOException {
        StringBuilder yaml = new StringBuilder(String.join(
                "\n",
                "version: 0.1",
                "log:",
                "  level: info",
                "storage:",
                "  filesystem:",
                "    rootdirectory: " + storage(dir),
                "  delete:",
                "    enabled: true",
                "http:",
                "  addr: 127.0.0.1:" + port,
                "  relativeurls: true",
                ""));
        if (basicAuth) {
            yaml.append(String.join(
                    "\n",
                    "auth:",
                    "  htpasswd:",
                    "    realm: test-registry",
                    "    path: " + dir.resolve("htpasswd"),
                    ""));
        }
        Files.writeString(config(dir), yaml);
    }

    private static Path config(Path dir) {
        return dir.resolve("config.yml");
    }

    private static Path storage(Path dir) {
        return dir.resolve("storage");
    }

    private static Path logFile(Path dir) {
        return dir.resolve("registry.log");
    }

    /** Any answer to /v2/ (401 included) means it serves; false when the process died or a minute passed. */
    private boolean awaitReady() throws InterruptedException, IOException {
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ping = HttpRequest.newBuilder(baseUri().resolve("/v2/"))
                .timeout(Duration.ofSeconds(5))
                .build();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (process.isAlive() && System.nanoTime() < deadline) {
            try {
                client.send(ping, HttpResponse.BodyHandlers.discarding());
                return true;
            } catch (ConnectException e) {
                Thread.sleep(50);
            }
        }
        return false;
    }

    /** {@code 127.0.0.1:PORT}, the host part of an image reference. */
    public String address() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    public URI baseUri() {
        return URI.create("http://" + address());
    }

    /** {@code 127.0.0.1:PORT/REPOSITORY:TAG}. */
    public String reference(String repository, String tag) {
        return address() + "/" + repository + ":" + tag;
    }

    /** The htpasswd user, when it was started with basic auth. */
    public Optional<Credentials> credentials() {
        return credentials;
    }

    public long pid() {
        return process.pid();
    }

    /** What the registry logged so far (requests included), for failure messages. */
    public String log() throws IOException {
        return Files.readString(logFile(dir));
    }

    /** Stops the registry by its PID (TERM, then KILL after 10 s), waits for it, and deletes its storage. */
    @Override
    public void close() throws IOException, InterruptedException {
        HostProcesses.stop(process, 10);
        HostProcesses.deleteTree(storage(dir));
        Files.deleteIfExists(config(dir));
        Files.deleteIfExists(dir.resolve("htpasswd"));
    }
}
