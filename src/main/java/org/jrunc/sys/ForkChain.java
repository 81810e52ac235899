package org.jrunc.sys;

import com.sun.jna.Function;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * clone(2) where the child runs no Java at all: only glibc code, prepared in the parent as a chain of ucontexts.
 *
 * <p>The child of glibc's clone(fn, stack, flags, arg) starts on a new stack and calls fn(arg). With fn = setcontext
 * and arg = the first of a chain of contexts made with makecontext, the child calls read, setresuid, execve and so on
 * one after the other, each context's uc_link naming the next, exactly as a C program would, and the JVM copy it came
 * from is never re-entered: no safepoint poll, no allocation, no lock of a thread that only exists in the parent
 * (docs/PROCESS-CREATION.md has the measurements that made this necessary). It is the same property posix_spawn has,
 * for the cases posix_spawn cannot serve (a user namespace).
 *
 * <p>A chain cannot branch on a result. Steps whose failure matters are checked by the stage that gets exec'ed (it
 * verifies its namespaces and credentials before doing anything); execve failing ends in _exit(123).
 */
public final class ForkChain {
    /** glibc x86_64 and aarch64: uc_link at 8, uc_stack.ss_sp at 16 and ss_size at 32 in struct ucontext_t. */
    private static final int UC_LINK = 8;

    private static final int UC_STACK_SP = 16;
    private static final int UC_STACK_SIZE = 32;
    private static final int UC_SIGMASK = SyscallNumbers.AARCH64 ? 40 : 296;
    private static final int UCONTEXT_BYTES = 8192;
    private static final int STACK_BYTES = 64 * 1024;
    private static final long SIGCHLD = SignalNumbers.SIGCHLD;

    private static final NativeLibrary LIBC = NativeLibrary.getInstance("libc.so.6");
    private static final Function GETCONTEXT = LIBC.getFunction("getcontext");
    /**
     * makecontext(ucp, func, argc, ...) is variadic: called with its 3 fixed arguments declared (JNA's call flags
     * carry the count in USE_VARARGS's bits), so libffi prepares a variadic call. Not an interface mapping
     * (Native.load): its proxy class and handler cost ~5 ms in every stage that clones.
     */
    private static final Function MAKECONTEXT =
            Function.getFunction(LIBC.getFunction("makecontext"), Function.C_CONVENTION | (3 << 7));

    private static final Function SYSCALL = LIBC.getFunction("syscall");
    private static final Function SETCONTEXT = LIBC.getFunction("setcontext");
    private static final Function EXECVE = LIBC.getFunction("execve");
    private static final Function EXIT = LIBC.getFunction("_exit");
    private static final Function CLONE = LIBC.getFunction("clone");

    private final List<Object> keepAlive = new ArrayList<>();
    /** The steps as (function, arguments), turned into contexts by {@link #first()}. */
    private final List<Object[]> steps = new ArrayList<>();

    private Memory firstContext;
    /** The stack the child starts on, made with the contexts so that {@link #start} allocates nothing. */
    private Memory startStack;

    /** One step: a raw system call with up to four arguments. */
    public ForkChain syscall(long nr, long a1, long a2, long a3, long a4) {
        return step(SYSCALL, nr, a1, a2, a3, a4);
    }

    public ForkChain setns(int fd, int nstype) {
        return syscall(SyscallNumbers.SETNS, fd, nstype, 0, 0);
    }

    public ForkChain unshare(int flags) {
        return syscall(SyscallNumbers.UNSHARE, flags & 0xffffffffL, 0, 0, 0);
    }

    /** Blocks until the parent writes (or closes) {@code fd}. */
    public ForkChain readByte(int fd) {
        Memory buf = keep(new Memory(8));
        return syscall(SyscallNumbers.READ, fd, Pointer.nativeValue(buf), 1, 0);
    }

    public ForkChain writeByte(int fd) {
        Memory buf = keep(new Memory(8));
        buf.setByte(0, (byte) 1);
        return syscall(SyscallNumbers.WRITE, fd, Pointer.nativeValue(buf), 1, 0);
    }

    /** setresgid(0,0,0) and setresuid(0,0,0): root in the new user namespace, which keeps the capabilities at exec. */
    public ForkChain becomeRoot() {
        syscall(SyscallNumbers.SETRESGID, 0, 0, 0, 0);
        return syscall(SyscallNumbers.SETRESUID, 0, 0, 0, 0);
    }

    /** Marks every descriptor above stderr but {@code keep} close-on-exec (see {@link FdGaps}). */
    public ForkChain keepOnlyFds(int[] keep) {
        for (FdGaps.Range gap : FdGaps.of(keep)) {
            syscall(
                    SyscallNumbers.CLOSE_RANGE,
                    gap.first(),
                    gap.open() ? 0xffffffffL : gap.last(),
                    Flags.CLOSE_RANGE_CLOEXEC,
                    0);
        }
        return this;
    }

    /** dup3(from, to, 0): places a descriptor (without CLOEXEC) where the exec'ed program expects it. */
    public ForkChain dup3(int from, int to) {
        return syscall(SyscallNumbers.DUP3, from, to, 0, 0);
    }

    public ForkChain setsid() {
        return syscall(SyscallNumbers.SETSID, 0, 0, 0, 0);
    }

    /**
     * glibc's clone with CLONE_PARENT: the new process (the runtime's child too) continues with {@code sibling}; this
     * one continues with the rest of its own chain. The way to be created inside namespaces that only take effect for
     * new processes (a pid namespace after a time namespace whose offsets had to be set first).
     */
    public ForkChain cloneSibling(int flags, ForkChain sibling) {
        Memory stack = keep(new Memory(STACK_BYTES));
        long top = (Pointer.nativeValue(stack) + STACK_BYTES) & ~15L;
        return step(
                CLONE,
                Pointer.nativeValue(SETCONTEXT),
                top,
                (flags & 0xffffffffL) | CloneFlags.CLONE_PARENT | SIGCHLD,
                Pointer.nativeValue(sibling.first()));
    }

    /** execve, then _exit(123) should it return. Ends the chain. */
    public ForkChain execve(String path, String[] argv, String[] envp) {
        Memory p = keep(LinuxSyscalls.cString(path));
        NativeStrings a = keep(NativeStrings.of(argv));
        NativeStrings e = keep(NativeStrings.of(envp));
        step(EXECVE, Pointer.nativeValue(p), a.address(), e.address());
        return exit(123);
    }

    /** execve of a prepared image, whose native memory this chain keeps alive. Does not end the chain. */
    public ForkChain execve(PreparedExec image) {
        keep(image);
        return step(EXECVE, image.pathAddress(), image.argvAddress(), image.envpAddress());
    }

    /** ioctl(fd, request, arg): for TIOCSCTTY on the new session's terminal. */
    public ForkChain ioctl(int fd, long request, long arg) {
        return syscall(SyscallNumbers.IOCTL, fd, request, arg, 0);
    }

    /**
     * Writes the 4 bytes of errno to {@code fd}: what the step before it failed with. The child runs on the calling
     * thread's TLS (clone without CLONE_SETTLS), so glibc's wrappers set errno at the address this thread's
     * __errno_location gives, in the child's copy of the memory. Only valid in a chain started from this thread.
     */
    public ForkChain writeErrno(int fd) {
        return syscall(SyscallNumbers.WRITE, fd, LibC.errnoLocation(), 4, 0);
    }

    /** _exit(code). Ends the chain. */
    public ForkChain exit(int code) {
        return step(EXIT, code);
    }

    private ForkChain step(Function fn, long... args) {
        if (firstContext != null) {
            throw new IllegalStateException("the chain has been built already");
        }
        steps.add(new Object[] {fn, args});
        return this;
    }

    private <T> T keep(T o) {
        keepAlive.add(o);
        return o;
    }

    /**
     * Builds the contexts from the last step back to the first: makecontext copies uc_link onto the context's stack
     * when it is called, so each context's successor must exist before it is made. (A context whose uc_link is NULL
     * ends in exit(3), which runs atexit handlers and takes locks - exactly what a forked JVM must never do.)
     */
    Memory first() {
        if (firstContext == null) {
            if (steps.isEmpty()) {
                throw new IllegalStateException("empty chain");
            }
            Memory next = null;
            for (int i = steps.size() - 1; i >= 0; i--) {
                next = context((Function) steps.get(i)[0], (long[]) steps.get(i)[1], next);
            }
            firstContext = next;
            startStack = keep(new Memory(STACK_BYTES));
        }
        return firstContext;
    }

    private Memory context(Function fn, long[] args, Memory link) {
        Memory ctx = keep(new Memory(UCONTEXT_BYTES));
        ctx.clear();
        Memory stack = keep(new Memory(STACK_BYTES));
        if (GETCONTEXT.invokeInt(new Object[] {ctx}) != 0) {
            throw new SyscallException("getcontext", "", Native.getLastError());
        }
        ctx.setPointer(UC_STACK_SP, stack);
        ctx.setLong(UC_STACK_SIZE, STACK_BYTES);
        ctx.setPointer(UC_LINK, link);
        // the child (and what it execs) starts with no signal blocked, whatever this JVM thread blocks
        ctx.setMemory(UC_SIGMASK, 128, (byte) 0);
        Object[] call = new Object[3 + args.length];
        call[0] = ctx;
        call[1] = fn;
        call[2] = args.length;
        for (int i = 0; i < args.length; i++) {
            call[3 + i] = args[i];
        }
        MAKECONTEXT.invokeVoid(call);
        return ctx;
    }

    /**
     * clone(flags | SIGCHLD) running the chain in the child. Returns the child's pid, or -errno. {@code others} are
     * chains the child may continue into (cloneSibling), kept reachable until the clone is done.
     */
    public long start(int flags, ForkChain... others) {
        long first = Pointer.nativeValue(first());
        long top = (Pointer.nativeValue(startStack) + STACK_BYTES) & ~15L;
        long pid = LibC.clone(
                Pointer.nativeValue(SETCONTEXT), top, (int) ((flags & 0xffffffffL) | SIGCHLD), first, 0, 0, 0);
        int err = pid < 0 ? Native.getLastError() : 0;
        Reference.reachabilityFence(this);
        Reference.reachabilityFence(others);
        return pid < 0 ? -err : pid;
    }
}
