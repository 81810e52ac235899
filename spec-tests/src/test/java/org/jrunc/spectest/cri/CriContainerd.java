package org.jrunc.spectest.cri;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.e2e.HostProcesses;

/**
 * A private containerd with its CRI plugin, started inside the suite's network namespace: root, state, sockets, the
 * shims' runc roots, CNI configuration and IPAM state all under DIR. Two runtime handlers use containerd's runc shim
 * with the cgroupfs driver (SystemdCgroup = false), {@code jrunc} with bin/jrunc and {@code runc} with the host's runc;
 * registry.k8s.io, gcr.io and docker.io are mirrored to the suite's registry over plain HTTP. {@link #close} stops it
 * by its PID.
 */
final class CriContainerd implements AutoCloseable {
    static final String RUNC = "/usr/sbin/runc";

    final Path dir;
    private final Process process;

    private CriContainerd(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    static CriContainerd start(NetworkNamespace netns, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("cni"));
        Files.writeString(dir.resolve("cni/10-jrunc-cri.conflist"), cniConfig(dir));
        Files.writeString(dir.resolve("config.toml"), config(dir));
        ProcessBuilder pb = new ProcessBuilder(netns.command(
                List.of("containerd", "--config", dir.resolve("config.toml").toString())));
        pb.redirectErrorStream(true)
                .redirectOutput(dir.resolve("containerd.log").toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        CriContainerd d = new CriContainerd(dir, pb.start());
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
        while (d.crictl(List.of("info"), 10).exit() != 0) {
            if (!d.process.isAlive() || System.nanoTime() > deadline) {
                d.close();
                throw new AssertionError(
                        "containerd's CRI did not come up:\n" + Files.readString(dir.resolve("containerd.log")));
            }
            Thread.sleep(200);
        }
        return d;
    }

    private static String config(Path dir) {
        String cri = "[plugins.\"io.containerd.grpc.v1.cri\"";
        List<String> lines = new ArrayList<>(List.of(
                "version = 2",
                "root = \"" + dir.resolve("root") + "\"",
                "state = \"" + dir.resolve("state") + "\"",
                "[grpc]",
                "  address = \"" + socket(dir) + "\"",
                "[ttrpc]",
                "  address = \"" + socket(dir) + ".ttrpc\"",
                "[debug]",
                "  address = \"" + dir.resolve("debug.sock") + "\"",
                cri + "]",
                "  sandbox_image = \"" + CriTestImages.PAUSE + "\"",
                // this project's machines withhold CAP_SYS_RESOURCE even from root, so no process may lower its
                // oom_score_adj below containerd's own: the sandboxes' -998 would fail create, for runc too
                "  restrict_oom_score_adj = true",
                cri + ".containerd]",
                "  default_runtime_name = \"runc\"",
                cri + ".cni]",
                "  bin_dir = \"/usr/lib/cni\"",
                "  conf_dir = \"" + dir.resolve("cni") + "\""));
        lines.addAll(runtime("runc", Path.of(RUNC), dir));
        lines.addAll(runtime("jrunc", Jrunc.binary(), dir));
        for (String host : List.of("registry.k8s.io", "gcr.io", "docker.io")) {
            lines.add(cri + ".registry.mirrors.\"" + host + "\"]");
            lines.add("  endpoint = [\"http://" + CriRegistry.ADDRESS + "\"]");
        }
        lines.add("");
        return String.join("\n", lines);
    }

    /** A runtime handler: the runc shim with {@code binary} as its runc, its own state root, cgroupfs. */
    private static List<String> runtime(String handler, Path binary, Path dir) {
        String table = "[plugins.\"io.containerd.grpc.v1.cri\".containerd.runtimes." + handler;
        return List.of(
                table + "]",
                "  runtime_type = \"io.containerd.runc.v2\"",
                table + ".options]",
                "  BinaryName = \"" + binary + "\"",
                "  Root = \"" + dir.resolve("runtime-root/" + handler) + "\"",
                "  SystemdCgroup = false");
    }

    /** The default pod network: a bridge with host-local addresses (state under DIR), portmap for hostPort. */
    private static String cniConfig(Path dir) {
        return String.join(
                "\n",
                "{",
                "  \"cniVersion\": \"1.0.0\",",
                "  \"name\": \"jrunc-cri\",",
                "  \"plugins\": [",
                "    {",
                "      \"type\": \"bridge\", \"bridge\": \"cni0\", \"isGateway\": true, \"ipMasq\": true,",
                "      \"hairpinMode\": true,",
                "      \"ipam\": {",
                "        \"type\": \"host-local\", \"dataDir\": \"" + dir.resolve("cni-ipam") + "\",",
                "        \"ranges\": [[{\"subnet\": \"10.88.0.0/16\"}]], \"routes\": [{\"dst\": \"0.0.0.0/0\"}]",
                "      }",
                "    },",
                "    {\"type\": \"portmap\", \"capabilities\": {\"portMappings\": true}}",
                "  ]",
                "}",
                "");
    }

    static Path socket(Path dir) {
        return dir.resolve("containerd.sock");
    }

    String endpoint() {
        return "unix://" + socket(dir);
    }

    long pid() {
        return process.pid();
    }

    /** crictl (built with critest) against this containerd. */
    Jrunc.Result crictl(List<String> args, int timeoutSeconds) {
        List<String> cmd = new ArrayList<>(
                List.of(Critest.crictl().toString(), "--runtime-endpoint", endpoint(), "--image-endpoint", endpoint()));
        cmd.addAll(args);
        return Jrunc.raw(cmd, Map.of(), null, timeoutSeconds);
    }

    /** Stops containerd by its PID (TERM, then KILL after 20 s) and waits for it. */
    @Override
    public void close() throws InterruptedException {
        HostProcesses.stop(process, 20);
    }
}
