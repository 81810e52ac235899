package org.jrunc.process;

import java.util.Locale;
import java.util.Map;
import org.jrunc.JruncException;
import org.jrunc.sys.SignalNumbers;

/**
 * Signal names and numbers (Linux, x86_64 and aarch64 share them), and sending them from code that has no
 * {@link HostProcesses} at hand ({@link LinuxProcesses#HOST}: TERM and KILL through ProcessHandle, so they never load
 * JNA; the others through kill(2)).
 */
public final class Signals {
    public static final int SIGKILL = SignalNumbers.SIGKILL;
    public static final int SIGTERM = SignalNumbers.SIGTERM;
    private static final int SIGRTMIN = 34;
    private static final int SIGRTMAX = 64;
    private static final Map<String, Integer> NAMES = Map.ofEntries(
            Map.entry("HUP", 1),
            Map.entry("INT", 2),
            Map.entry("QUIT", 3),
            Map.entry("ILL", 4),
            Map.entry("TRAP", 5),
            Map.entry("ABRT", 6),
            Map.entry("IOT", 6),
            Map.entry("BUS", 7),
            Map.entry("FPE", 8),
            Map.entry("KILL", 9),
            Map.entry("USR1", 10),
            Map.entry("SEGV", 11),
            Map.entry("USR2", 12),
            Map.entry("PIPE", 13),
            Map.entry("ALRM", 14),
            Map.entry("TERM", 15),
            Map.entry("STKFLT", 16),
            Map.entry("CHLD", 17),
            Map.entry("CLD", 17),
            Map.entry("CONT", 18),
            Map.entry("STOP", 19),
            Map.entry("TSTP", 20),
            Map.entry("TTIN", 21),
            Map.entry("TTOU", 22),
            Map.entry("URG", 23),
            Map.entry("XCPU", 24),
            Map.entry("XFSZ", 25),
            Map.entry("VTALRM", 26),
            Map.entry("PROF", 27),
            Map.entry("WINCH", 28),
            Map.entry("IO", 29),
            Map.entry("POLL", 29),
            Map.entry("PWR", 30),
            Map.entry("SYS", 31));

    private Signals() {}

    /** runc's parsing: a number, or a name with or without SIG in any case (also RTMIN+n and RTMAX-n). */
    public static int parse(String raw) {
        try {
            int n = Integer.parseInt(raw);
            if (n < 0 || n > SIGRTMAX) {
                throw new JruncException("unknown signal \"" + raw + "\"");
            }
            return n;
        } catch (NumberFormatException e) {
            // a name
        }
        String name = raw.toUpperCase(Locale.ROOT);
        if (name.startsWith("SIG")) {
            name = name.substring(3);
        }
        Integer n = NAMES.get(name);
        if (n != null) {
            return n;
        }
        Integer rt = realtime(name);
        if (rt != null) {
            return rt;
        }
        throw new JruncException("unknown signal \"" + raw + "\"");
    }

    private static Integer realtime(String name) {
        try {
            if (name.equals("RTMIN")) {
                return SIGRTMIN;
            }
            if (name.equals("RTMAX")) {
                return SIGRTMAX;
            }
            if (name.startsWith("RTMIN+")) {
                int v = SIGRTMIN + Integer.parseInt(name.substring(6));
                return v <= SIGRTMAX ? v : null;
            }
            if (name.startsWith("RTMAX-")) {
                int v = SIGRTMAX - Integer.parseInt(name.substring(6));
                return v >= SIGRTMIN ? v : null;
            }
        } catch (NumberFormatException e) {
            return null;
        }
        return null;
    }

    /** Sends {@code sig}; returns false when the process no longer exists. See {@link LinuxProcesses#signal}. */
    public static boolean send(int pid, int sig) {
        return LinuxProcesses.HOST.signal(pid, sig);
    }
}
