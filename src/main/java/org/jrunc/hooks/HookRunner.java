package org.jrunc.hooks;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jrunc.Pause;
import org.jrunc.sys.Flags;
import org.jrunc.sys.PosixSpawn;
import org.jrunc.sys.SignalNumbers;
import org.jrunc.sys.Syscalls;
import org.jrunc.sys.WaitStatus;

/**
 * Runs OCI hooks: the state JSON on stdin, stdout and stderr captured (they must not reach the container's stdio, which
 * the runtime shares during create), a timeout enforced with SIGKILL. Spawned with posix_spawn so args[0] can differ
 * from the path, as execv allows.
 */
public final class HookRunner implements HookPhases {
    private static final int OUTPUT_LIMIT = 4096;
    private final Syscalls sys;

    public HookRunner(Syscalls sys) {
        this.sys = sys;
    }

    /** Runs the hooks of one phase in order; the first failure stops the phase. */
    @Override
    public void runAll(String phase, List<HookSpec> hooks, String stateJson) {
        for (HookSpec hook : hooks) {
            run(phase, hook, stateJson);
        }
    }

    /** Runs every hook even if some fail; returns the failure messages (poststop semantics). */
    @Override
    public List<String> runAllReportingFailures(String phase, List<HookSpec> hooks, String stateJson) {
        List<String> failures = new ArrayList<>();
        for (HookSpec hook : hooks) {
            try {
                run(phase, hook, stateJson);
            } catch (HookException e) {
                failures.add(e.getMessage());
            }
        }
        return failures;
    }

    public void run(String phase, HookSpec hook, String stateJson) {
        int[] in = sys.pipe2(Flags.O_CLOEXEC);
        int[] out = sys.pipe2(Flags.O_CLOEXEC);
        int pid;
        try {
            // lift the child's ends above 0-2 so the dups cannot clobber one another
            int childIn = PosixSpawn.moveAboveFds(sys, in[0], 3);
            int childOut = PosixSpawn.moveAboveFds(sys, out[1], 3);
            try {
                pid = new PosixSpawn(hook.path(), hook.argv(), environment(hook))
                        .dup(childIn, 0)
                        .dup(childOut, 1)
                        .dup(childOut, 2)
                        .closeFrom(3)
                        .start();
            } finally {
                sys.close(childIn);
                sys.close(childOut);
            }
        } catch (RuntimeException e) {
            closeAll(in, out);
            throw new HookException(phase + " hook " + hook.path() + ": " + e.getMessage());
        }
        sys.close(in[0]);
        sys.close(out[1]);
        Thread feeder = pump(() -> feed(in[1], stateJson));
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Thread reader = pump(() -> drain(out[0], captured));
        int status = waitWithTimeout(pid, hook.timeoutSeconds());
        join(feeder);
        join(reader);
        sys.close(out[0]);
        String output = captured.toString(StandardCharsets.UTF_8).trim().replace('\n', ' ');
        if (status == TIMED_OUT) {
            throw new HookException(phase + " hook " + hook.path() + " timed out after " + hook.timeoutSeconds() + "s");
        }
        if (status != 0) {
            throw new HookException(phase + " hook " + hook.path() + " failed: " + WaitStatus.describe(status)
                    + (output.isEmpty() ? "" : ", output: " + output));
        }
    }

    private static final int TIMED_OUT = Integer.MIN_VALUE;

    private int waitWithTimeout(int pid, int timeoutSeconds) {
        if (timeoutSeconds <= 0) {
            return sys.waitpid(pid, 0)[1];
        }
        long deadline = System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        long sleepMs = 1;
        while (true) {
            int[] r = sys.waitpid(pid, Flags.WNOHANG);
            if (r[0] == pid) {
                return r[1];
            }
            if (System.nanoTime() >= deadline) {
                sys.kill(pid, SignalNumbers.SIGKILL);
                sys.waitpid(pid, 0);
                return TIMED_OUT;
            }
            Pause.millis(sleepMs);
            sleepMs = Math.min(20, sleepMs * 2);
        }
    }

    private String[] environment(HookSpec hook) {
        if (hook.env() != null) {
            return hook.env().toArray(new String[0]);
        }
        List<String> env = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.add(e.getKey() + "=" + e.getValue());
        }
        return env.toArray(new String[0]);
    }

    private void feed(int fd, String stateJson) {
        byte[] b = stateJson.getBytes(StandardCharsets.UTF_8);
        try {
            sys.writeAll(fd, b, 0, b.length);
        } catch (RuntimeException e) {
            // the hook closed stdin without reading it; that is its right
        } finally {
            sys.close(fd);
        }
    }

    private void drain(int fd, ByteArrayOutputStream captured) {
        try {
            sys.readToEnd(fd, captured, OUTPUT_LIMIT);
        } catch (RuntimeException e) {
            // read errors end the capture; the exit status decides success
        }
    }

    private static Thread pump(Runnable r) {
        Thread t = new Thread(r, "hook-io");
        t.setDaemon(true);
        t.start();
        return t;
    }

    private static void join(Thread t) {
        try {
            t.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void closeAll(int[]... pairs) {
        for (int[] p : pairs) {
            sys.close(p[0]);
            sys.close(p[1]);
        }
    }
}
