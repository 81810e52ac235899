package org.jrunc.monitor;

import java.nio.file.Path;
import org.jrunc.attach.OutputRing;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Syscalls;

/**
 * The monitor stage of a container created with --attachable: a JVM of its own, started by posix_spawn in a session of
 * its own, holding the container's stdio for `jrunc attach`. Arguments: {@code pipes|terminal STATE_DIR}; descriptors
 * as in {@link MonitorFds}.
 */
public final class MonitorMain {
    /** How much recent output is kept for a client that attaches later. */
    static final int RING_BYTES = 64 * 1024;

    private MonitorMain() {}

    public static void main(String[] args) {
        Syscalls sys = LinuxSyscalls.get();
        // the caller's working directory (maybe a bundle on a mount that `umount` will remove) must not stay busy
        sys.chdir("/");
        ContainerStdio stdio = args[0].equals("terminal")
                ? ContainerStdio.terminal(sys, MonitorFds.CONSOLE)
                : ContainerStdio.pipes(sys, MonitorFds.STDIN, MonitorFds.STDOUT, MonitorFds.STDERR);
        new Monitor(sys, Path.of(args[1]), stdio, new OutputRing(RING_BYTES)).run();
        Runtime.getRuntime().halt(0);
    }
}
