package org.jrunc.spectest.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Jrunc;

/**
 * Podman (Debian's package, with conmon) with its own root, runroot, tmpdir and configuration under a temp directory,
 * running bin/jrunc as its OCI runtime. The configuration is what this kind of host needs: cgroupfs (no systemd),
 * events to a file, no network namespace setup, ulimits within the host's hard limits, and jrunc listed as a
 * runtime that understands --log-format=json.
 */
final class PodmanHost {
    final Path dir;
    final String cgroupParent;
    private final Map<String, String> env;

    PodmanHost(Path dir, String cgroupParent) throws IOException {
        this.dir = dir;
        this.cgroupParent = cgroupParent;
        writeContainersConf(dir, "netns = \"none\"");
        Files.writeString(
                dir.resolve("storage.conf"),
                String.join(
                        "\n",
                        "[storage]",
                        "driver = \"overlay\"",
                        "graphroot = \"" + dir.resolve("root") + "\"",
                        "runroot = \"" + dir.resolve("runroot") + "\"",
                        ""));
        Files.createDirectories(dir.resolve("tmp"));
        this.env = Map.of(
                "CONTAINERS_CONF",
                dir.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF",
                dir.resolve("storage.conf").toString());
    }

    /**
     * DIR/containers.conf for this kind of host, rootful or rootless: {@code containers} (lines of its [containers]
     * table) and ulimits within the host's hard limits, cgroupfs (no systemd), events to DIR/events.log, and jrunc
     * listed as a runtime that understands --log-format=json.
     */
    static void writeContainersConf(Path dir, String... containers) throws IOException {
        List<String> lines = new ArrayList<>(List.of("[containers]"));
        lines.addAll(List.of(containers));
        lines.addAll(List.of(
                "default_ulimits = [\"nofile=1024:1024\", \"nproc=4096:4096\"]",
                "[engine]",
                "cgroup_manager = \"cgroupfs\"",
                "events_logger = \"file\"",
                "events_logfile_path = \"" + dir.resolve("events.log") + "\"",
                "runtime_supports_json = [\"crun\", \"runc\", \"jrunc\"]",
                "[engine.runtimes]",
                "jrunc = [\"" + Jrunc.binary() + "\"]",
                ""));
        Files.writeString(dir.resolve("containers.conf"), String.join("\n", lines));
    }

    Jrunc.Result podman(String... args) {
        return Jrunc.raw(command(List.of(args)), env, null, 180);
    }

    /** The full command line, for running podman under script(1) when it needs a terminal. */
    List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                "podman",
                "--root",
                dir.resolve("root").toString(),
                "--runroot",
                dir.resolve("runroot").toString(),
                "--tmpdir",
                dir.resolve("tmp").toString(),
                "--runtime",
                Jrunc.binary().toString()));
        cmd.addAll(args);
        return cmd;
    }

    Map<String, String> env() {
        return env;
    }

    String inspect(String name, String format) {
        return podman("inspect", "--format", format, name).ok().out().trim();
    }
}
