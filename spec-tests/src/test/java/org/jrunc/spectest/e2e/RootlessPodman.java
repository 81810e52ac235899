package org.jrunc.spectest.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.UnprivilegedUser;

/**
 * Podman in rootless mode: run by the {@link UnprivilegedUser}, which podman puts in a user namespace of its own made
 * from /etc/subuid and /etc/subgid (held by podman's pause process), with conmon and the OCI runtime inside it. Its
 * root, runroot, tmpdir (where the pause process's pid file goes) and configuration are private to one directory
 * owned by the user; the configuration is what this kind of host needs: cgroupfs (no systemd, and podman then runs
 * rootless containers without cgroups on cgroup v1), events to a file, ulimits within the host's hard limits, and
 * jrunc listed as a runtime that understands --log-format=json. The OCI runtime is chosen per call by its path.
 */
final class RootlessPodman {
    final UnprivilegedUser user;
    final Path dir;
    private final Map<String, String> env;

    RootlessPodman(UnprivilegedUser user, Path dir) throws IOException {
        this.user = user;
        this.dir = dir;
        PodmanHost.writeContainersConf(dir);
        writeStorageConf(null);
        Files.createDirectories(dir.resolve("tmp"));
        user.own(dir);
        this.env = Map.of(
                "CONTAINERS_CONF",
                dir.resolve("containers.conf").toString(),
                "CONTAINERS_STORAGE_CONF",
                dir.resolve("storage.conf").toString());
    }

    /**
     * The overlay driver: the kernel's own overlayfs in the user namespace where it allows that (Linux 5.11+), else
     * fuse-overlayfs as its mount program.
     */
    String chooseOverlay() throws IOException {
        Jrunc.Result info = podman(List.of("info", "--format", "{{.Store.GraphDriverName}}"));
        if (info.exit() == 0) {
            return "native overlay";
        }
        if (!info.err().contains("overlay")) {
            throw new AssertionError("podman info as " + user.uid + " failed: " + info.err());
        }
        Path fuse = Path.of("/usr/bin/fuse-overlayfs");
        if (!Files.isExecutable(fuse)) {
            throw new AssertionError("rootless native overlay failed and " + fuse + " is missing: " + info.err());
        }
        writeStorageConf(fuse);
        podman(List.of("info")).ok();
        return "fuse-overlayfs";
    }

    private void writeStorageConf(Path mountProgram) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "[storage]",
                "driver = \"overlay\"",
                "graphroot = \"" + dir.resolve("root") + "\"",
                "runroot = \"" + dir.resolve("runroot") + "\""));
        if (mountProgram != null) {
            lines.add("[storage.options.overlay]");
            lines.add("mount_program = \"" + mountProgram + "\"");
        }
        lines.add("");
        Files.writeString(dir.resolve("storage.conf"), String.join("\n", lines));
    }

    /** podman as the user, with {@code runtime} (a path) as its OCI runtime. */
    Jrunc.Result podman(Path runtime, String... args) {
        List<String> cmd = new ArrayList<>(List.of("--runtime", runtime.toString()));
        cmd.addAll(List.of(args));
        return podman(cmd);
    }

    /** A podman command that does not start containers (no --runtime). */
    Jrunc.Result podman(List<String> args) {
        return user.run(command(args), env, null, 180);
    }

    private List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of(
                "podman",
                "--root",
                dir.resolve("root").toString(),
                "--runroot",
                dir.resolve("runroot").toString(),
                "--tmpdir",
                dir.resolve("tmp").toString()));
        cmd.addAll(args);
        return cmd;
    }

    String inspect(Path runtime, String name, String format) {
        return podman(runtime, "inspect", "--format", format, name).ok().out().trim();
    }

    /** podman's pause process, which holds its user namespace (and the mounts made in it) between commands. */
    Long pauseProcess() throws IOException {
        Path pidFile = dir.resolve("tmp/pause.pid");
        return Files.exists(pidFile) ? Long.parseLong(Files.readString(pidFile).trim()) : null;
    }
}
