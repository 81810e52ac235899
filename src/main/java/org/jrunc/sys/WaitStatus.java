package org.jrunc.sys;

/**
 * The status word of wait(2), waitpid(2) and the process events connector, read the way the kernel writes it (and as
 * glibc's WIFEXITED, WEXITSTATUS and WTERMSIG read it): a process that exited has 0 in the low seven bits and its exit
 * code in bits 8-15; one killed by a signal has the signal's number in the low seven bits (bit 7 marks a core dump).
 * Stopped and continued statuses come only with WUNTRACED and WCONTINUED, which jrunc never asks for.
 */
public final class WaitStatus {
    private static final int SIGNAL_BITS = 0x7f;

    private WaitStatus() {}

    /** The process exited (rather than being killed by a signal). */
    public static boolean exited(int status) {
        return (status & SIGNAL_BITS) == 0;
    }

    /** The code an exited process passed to exit(2), 0-255. */
    public static int exitCode(int status) {
        return (status >> 8) & 0xff;
    }

    /** The signal that killed the process; 0 when it exited. */
    public static int signal(int status) {
        return status & SIGNAL_BITS;
    }

    /** As a shell reports it: the exit code, or 128 + the signal. */
    public static int shellCode(int status) {
        return exited(status) ? exitCode(status) : 128 + signal(status);
    }

    /** "exit status N" or "killed by signal N", as messages about a child's end word it. */
    public static String describe(int status) {
        return exited(status) ? "exit status " + exitCode(status) : "killed by signal " + signal(status);
    }
}
