package org.jrunc.sys;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;

/**
 * clone(2) for the one case posix_spawn cannot serve: a new (or joined) user namespace, which a multithreaded JVM can
 * neither unshare nor setns into. The child is a copy of the JVM, so it runs a fixed "program" of raw system calls
 * prepared before the clone - no allocation, no class loading, one call site - and then execve.
 *
 * <p>Every call site in {@link #runProgram} is executed once in the parent with harmless calls first ({@link #warmUp}),
 * so the child never resolves a constant-pool entry. What remains (a safepoint pending at the moment of the clone) is
 * caught by the caller's watchdog, which kills and retries a child that has not exec'ed in time
 * (docs/PROCESS-CREATION.md).
 */
public final class ClonedChild {
    private static final long SIGCHLD = 17;
    /** One step: number, three arguments, exit code on failure (0 = ignore), 1 = exit(0) when the result is > 0. */
    private static final int STEP = 6;

    private ClonedChild() {
    }

    /** A child program of {@link #STEP}-long steps, built with {@link Builder} in the parent. */
    public static final class Program {
        final long[] steps;
        final Object[] keepAlive;

        Program(long[] steps, Object[] keepAlive) {
            this.steps = steps;
            this.keepAlive = keepAlive;
        }
    }

    /** Builds the child's system-call program; all memory it needs is allocated here, in the parent. */
    public static final class Builder {
        private final java.util.List<long[]> steps = new java.util.ArrayList<>();
        private final java.util.List<Object> memory = new java.util.ArrayList<>();

        private Builder step(long nr, long a1, long a2, long a3, int exitCode) {
            steps.add(new long[] {nr, a1, a2, a3, exitCode, 0});
            return this;
        }

        public Builder setns(int fd, int nstype, int exitCode) {
            return step(SyscallNumbers.SETNS, fd, nstype, 0, exitCode);
        }

        public Builder unshare(int flags, int exitCode) {
            return step(SyscallNumbers.UNSHARE, flags & 0xffffffffL, 0, 0, exitCode);
        }

        /** Waits for the parent's go-ahead byte (written after the id maps). */
        public Builder readByte(int fd, int exitCode) {
            Memory buf = new Memory(8);
            memory.add(buf);
            return step(SyscallNumbers.READ, fd, Pointer.nativeValue(buf), 1, exitCode);
        }

        /** Tells the parent a step has been reached. */
        public Builder writeByte(int fd, int exitCode) {
            Memory buf = new Memory(8);
            buf.setByte(0, (byte) 1);
            memory.add(buf);
            return step(SyscallNumbers.WRITE, fd, Pointer.nativeValue(buf), 1, exitCode);
        }

        public Builder becomeRoot(int exitCode) {
            step(SyscallNumbers.SETRESGID, 0, 0, 0, exitCode);
            return step(SyscallNumbers.SETRESUID, 0, 0, 0, exitCode);
        }

        public Builder setsid() {
            return step(SyscallNumbers.SETSID, 0, 0, 0, 0);
        }

        /**
         * A second clone with CLONE_PARENT: the new process becomes the caller's sibling (so the runtime's child) and
         * carries on with the program, while this one exits. Needed when a namespace must be entered by creating a
         * process rather than by the clone that made this one (a new pid namespace after a time namespace).
         */
        public Builder cloneSibling(int flags, int exitCode) {
            steps.add(new long[] {SyscallNumbers.CLONE, (flags & 0xffffffffL) | CloneFlags.CLONE_PARENT | SIGCHLD, 0,
                0, exitCode, 1});
            return this;
        }

        public Builder execve(String path, String[] argv, String[] envp, int exitCode) {
            Memory p = LinuxSyscalls.cString(path);
            NativeStrings a = NativeStrings.of(argv);
            NativeStrings e = NativeStrings.of(envp);
            memory.add(p);
            memory.add(a);
            memory.add(e);
            return step(SyscallNumbers.EXECVE, Pointer.nativeValue(p), a.address(), e.address(), exitCode);
        }

        public Program build() {
            long[] flat = new long[steps.size() * STEP + STEP];
            int i = 0;
            for (long[] s : steps) {
                System.arraycopy(s, 0, flat, i, STEP);
                i += STEP;
            }
            // a final exit_group(127) in case execve returned
            flat[i] = SyscallNumbers.EXIT_GROUP;
            flat[i + 1] = 127;
            return new Program(flat, memory.toArray());
        }
    }

    /**
     * Runs the child path once in the parent with getpid standing in for every call (including a failing step and
     * the exit), so the child finds every constant-pool entry already resolved.
     */
    public static void warmUp() {
        long getpid = SyscallNumbers.GETPID;
        long[] harmless = {
            getpid, 0, 0, 0, 0, 0,
            getpid, 0, 0, 0, 0, 1,
            SyscallNumbers.READ, -1, 0, 0, 99, 0,
        };
        runProgram(harmless, getpid, SyscallNumbers.READ);
    }

    /**
     * clone(flags | SIGCHLD). Returns the child's pid in the parent; the child runs the program and never returns.
     * Returns -errno when clone fails.
     */
    public static long start(int flags, Program program) {
        long[] steps = program.steps;
        long exitGroup = SyscallNumbers.EXIT_GROUP;
        long read = SyscallNumbers.READ;
        long pid = LibC.syscall(SyscallNumbers.CLONE, (flags & 0xffffffffL) | SIGCHLD, 0, 0, 0, 0, 0);
        if (pid == 0) {
            runProgram(steps, exitGroup, read);
        }
        java.lang.ref.Reference.reachabilityFence(program);
        return pid < 0 ? -com.sun.jna.Native.getLastError() : pid;
    }

    /**
     * The child's whole life: primitive locals, one array, one native call site. A failed step is rewritten in place
     * into exit_group(its exit code) and run again through the same call site.
     */
    private static void runProgram(long[] steps, long exitGroup, long read) {
        int i = 0;
        while (i + STEP <= steps.length) {
            long r = LibC.syscall(steps[i], steps[i + 1], steps[i + 2], steps[i + 3], 0, 0, 0);
            long failExit = steps[i + 4];
            boolean failed = r < 0 || (steps[i] == read && r == 0);
            if (failExit != 0 && failed) {
                rewriteAsExit(steps, i, exitGroup, failExit);
            } else if (steps[i + 5] == 1 && r > 0) {
                // the parent side of cloneSibling: its work is done
                rewriteAsExit(steps, i, exitGroup, 0);
            } else {
                i += STEP;
            }
        }
    }

    private static void rewriteAsExit(long[] steps, int i, long exitGroup, long code) {
        steps[i] = exitGroup;
        steps[i + 1] = code;
        steps[i + 4] = 0;
        steps[i + 5] = 0;
    }
}
