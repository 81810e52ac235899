package org.jrunc.cli;

import java.nio.file.Path;
import org.jrunc.JruncException;
import org.jrunc.container.CreateOptions;
import picocli.CommandLine.Option;

/** The flags `create` and `run` share. */
public final class CreateFlags {
    @Option(
            names = {"-b", "--bundle"},
            description = "path to the root of the bundle directory (default: current directory)")
    String bundle = "";

    @Option(names = "--console-socket", description = "path to an AF_UNIX socket which will receive the pty master")
    String consoleSocket = "";

    @Option(
            names = "--pidfd-socket",
            description = "path to an AF_UNIX socket which will receive a file descriptor referencing the init process")
    String pidfdSocket = "";

    @Option(names = "--pid-file", description = "file to write the process id to")
    String pidFile = "";

    @Option(names = "--no-pivot", description = "do not use pivot_root to jail the process inside the rootfs")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "do not create a new session keyring for the container")
    boolean noNewKeyring;

    @Option(
            names = "--attachable",
            description = "jrunc extension: a monitor process holds the container's stdio "
                    + "(pipes, or the pty with process.terminal) and keeps its recent output, for `jrunc attach`")
    boolean attachable;

    @Option(names = "--preserve-fds", description = "pass N additional file descriptors to the container")
    int preserveFds;

    CreateOptions toOptions(String id, GlobalOptions g) {
        if (preserveFds < 0) {
            throw new JruncException("--preserve-fds must not be negative");
        }
        Path b = Path.of(bundle.isEmpty() ? "." : bundle).toAbsolutePath().normalize();
        return new CreateOptions(
                id,
                b,
                pidFile.isEmpty() ? null : Path.of(pidFile).toAbsolutePath().toString(),
                consoleSocket.isEmpty() ? null : consoleSocket,
                pidfdSocket.isEmpty() ? null : pidfdSocket,
                noPivot,
                noNewKeyring,
                preserveFds,
                g.log,
                "json".equals(g.logFormat),
                attachable,
                g.rootless(),
                g.systemdCgroup);
    }
}
