package org.jrunc.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.jrunc.JruncException;
import org.jrunc.container.ExecOptions;
import org.jrunc.log.Log;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** `exec [options] ID [COMMAND...]`; failures exit 255 with "exec failed: ...", as runc. */
@Command(name = "exec", description = "execute new process inside the container")
public final class ExecCommand implements Callable<Integer> {
    @ParentCommand
    JruncCli parent;

    @Option(
            names = {"-p", "--process"},
            description = "path to the process.json")
    String processFile;

    @Option(
            names = {"-t", "--tty"},
            description = "allocate a pseudo-TTY")
    boolean tty;

    @Option(names = "--console-socket", description = "path to an AF_UNIX socket which will receive the pty master")
    String consoleSocket;

    @Option(
            names = "--pidfd-socket",
            description = "path to an AF_UNIX socket which will receive a file descriptor referencing the exec process")
    String pidfdSocket;

    @Option(
            names = {"-d", "--detach"},
            description = "detach from the container's process")
    boolean detach;

    @Option(names = "--pid-file", description = "file to write the process id to")
    String pidFile;

    @Option(names = "--cwd", description = "current working directory in the container")
    String cwd;

    @Option(
            names = {"-e", "--env"},
            description = "set environment variables")
    List<String> env = new ArrayList<>();

    @Option(
            names = {"-u", "--user"},
            description = "UID (format: <uid>[:<gid>])")
    String user;

    @Option(
            names = {"-g", "--additional-gids"},
            description = "additional gids")
    List<Long> additionalGids = new ArrayList<>();

    @Option(
            names = {"-c", "--cap"},
            description = "add a capability to the bounding set for the process")
    List<String> caps = new ArrayList<>();

    @Option(names = "--no-new-privs", description = "set the no new privileges value for the process")
    boolean noNewPrivs;

    @Option(
            names = {"-a", "--apparmor"},
            description = "set the apparmor profile for the process")
    String apparmor;

    @Option(names = "--process-label", description = "set the asm process label for the process")
    String processLabel;

    @Option(names = "--preserve-fds", description = "pass N additional file descriptors to the container")
    int preserveFds;

    @Option(names = "--ignore-paused", description = "allow exec in a paused container")
    boolean ignorePaused;

    @Option(names = "--cgroup", description = "run the process in a (sub)cgroup of the container")
    String cgroup;

    @Parameters(index = "0", paramLabel = "<container-id>")
    String id;

    @Parameters(index = "1..*", paramLabel = "<command>")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() {
        try {
            parent.global.apply();
            ExecOptions o = new ExecOptions(
                    id,
                    processFile,
                    command,
                    tty,
                    consoleSocket,
                    pidfdSocket == null || pidfdSocket.isEmpty() ? null : pidfdSocket,
                    detach,
                    pidFile == null ? null : Path.of(pidFile).toAbsolutePath().toString(),
                    cwd,
                    env,
                    user,
                    additionalGids,
                    caps,
                    noNewPrivs,
                    apparmor,
                    processLabel,
                    preserveFds,
                    ignorePaused,
                    cgroup);
            return Operations.exec(parent.global).exec(o);
        } catch (JruncException e) {
            Log.error("exec failed: " + e.getMessage());
            return 255;
        }
    }
}
