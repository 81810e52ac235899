package org.jrunc.monitor;

/**
 * Where the monitor finds what `create` hands it: fixed descriptor numbers, placed by posix_spawn (see
 * {@link MonitorLaunch}). Its stdin, stdout and stderr are /dev/null: the monitor outlives the command that started
 * it and must not hold that command's terminal or pipes.
 */
final class MonitorFds {
    /** The listening attach socket. */
    static final int LISTENER = 3;
    /** Read end of a pipe from `create`: "PID START_TICKS\n" once the init is known; end of file when create is done. */
    static final int CONTROL = 4;
    /** Write end of a pipe to `create`: one byte once the monitor is serving. */
    static final int READY = 5;
    /** Pipes mode: the container's stdin (write end), stdout and stderr (read ends). */
    static final int STDIN = 6;

    static final int STDOUT = 7;
    static final int STDERR = 8;
    /** Terminal mode: the socket on which the init sends the pty master (runc's console-socket message). */
    static final int CONSOLE = 6;

    private MonitorFds() {}
}
