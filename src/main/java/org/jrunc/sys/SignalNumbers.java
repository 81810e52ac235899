package org.jrunc.sys;

/**
 * The signal numbers jrunc sends or asks for itself (Linux; x86_64 and aarch64 share them). The names a user may give
 * to `kill` are in {@code Signals}, whose KILL and TERM are these.
 */
public final class SignalNumbers {
    public static final int SIGKILL = 9;
    public static final int SIGTERM = 15;
    public static final int SIGCHLD = 17;

    private SignalNumbers() {}
}
