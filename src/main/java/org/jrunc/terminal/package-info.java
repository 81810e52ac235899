/**
 * Terminals: a pty made from the container's own devpts and passed over the console socket ({@link
 * org.jrunc.terminal.Pty}, {@link org.jrunc.terminal.ConsoleSetup}), a foreground {@code run}/{@code exec -t} that
 * relays the pty to its own stdio ({@link org.jrunc.terminal.ForegroundTerminal}), and the caller's terminal mode and
 * window size ({@link org.jrunc.terminal.TerminalMode}). The termios calls themselves are in {@code sys.Syscalls}.
 */
package org.jrunc.terminal;
