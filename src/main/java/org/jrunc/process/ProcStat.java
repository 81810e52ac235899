package org.jrunc.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jrunc.sys.KernelFiles;

/**
 * The fields of /proc/PID/stat that identify a process: its state letter and its start time in clock ticks since boot.
 * The start time guards against pid reuse: a pid whose start time differs from the recorded one is another process.
 */
public record ProcStat(int pid, char state, long startTicks) {

    /** Reads /proc/PID/stat, or returns null when the process does not exist. */
    public static ProcStat read(int pid) {
        if (pid <= 0) {
            return null;
        }
        String s;
        try {
            s = KernelFiles.read(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return null;
        }
        return parse(pid, s);
    }

    /**
     * This process, from /proc/self/stat (its first field is the pid). Cheaper than ProcessHandle.current(), whose
     * class starts a thread pool for process reaping.
     */
    public static ProcStat self() {
        String s;
        try {
            s = KernelFiles.read(Path.of("/proc/self/stat"));
        } catch (IOException e) {
            throw new UncheckedIOException("/proc/self/stat", e);
        }
        return parse(Integer.parseInt(s.substring(0, s.indexOf(' '))), s);
    }

    static ProcStat parse(int pid, String stat) {
        // comm (field 2) may contain spaces and parentheses: everything after the last ')' is space-separated
        int close = stat.lastIndexOf(')');
        if (close < 0 || close + 2 >= stat.length()) {
            return null;
        }
        String[] f = stat.substring(close + 2).trim().split(" ");
        // f[0] is field 3 (state); starttime is field 22, i.e. f[19]
        if (f.length < 20) {
            return null;
        }
        return new ProcStat(pid, f[0].charAt(0), Long.parseLong(f[19]));
    }

    /** The parent pid of a process (field 4 of /proc/PID/stat), or -1 when it does not exist. */
    public static int parentOf(int pid) {
        String s;
        try {
            s = KernelFiles.read(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException e) {
            return -1;
        }
        int close = s.lastIndexOf(')');
        String[] f = s.substring(close + 2).trim().split(" ");
        return f.length > 1 && f[0].charAt(0) != 'Z' ? Integer.parseInt(f[1]) : -1;
    }

    /** A zombie or dead process has exited; only its parent's wait is missing. */
    public boolean hasExited() {
        return state == 'Z' || state == 'X' || state == 'x';
    }

    /** True when {@code pid} is alive and is the process that started at {@code startTicks}. */
    public static boolean isSameLiveProcess(int pid, long startTicks) {
        ProcStat st = read(pid);
        return st != null && st.startTicks == startTicks && !st.hasExited();
    }
}
