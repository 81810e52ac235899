package org.jrunc.sys;

import com.sun.jna.Memory;
import java.util.ArrayList;
import java.util.List;

/**
 * posix_spawn(3) with explicit descriptor placement. No Java code runs in the child: glibc creates it with
 * CLONE_VM|CLONE_VFORK and runs only its own C code until execve. This is the hang-free way to start a process from a
 * multithreaded JVM (docs/PROCESS-CREATION.md); namespaces the calling thread has unshared or joined are inherited.
 */
public final class PosixSpawn {
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;

    private final String path;
    private final String[] argv;
    private final String[] envp;
    private final List<int[]> dups = new ArrayList<>();
    private int closeFrom = -1;
    private int[] keepOnly;
    private boolean setsid;

    public PosixSpawn(String path, String[] argv, String[] envp) {
        this.path = path;
        this.argv = argv;
        this.envp = envp;
    }

    /**
     * Places {@code fd} at {@code target} in the child, without CLOEXEC. Sources must not collide with targets of
     * other entries; {@link #moveAboveFds} helps callers guarantee that.
     */
    public PosixSpawn dup(int fd, int target) {
        dups.add(new int[] {fd, target});
        return this;
    }

    /** Closes every descriptor from {@code fd} up in the child (after the dups). */
    public PosixSpawn closeFrom(int fd) {
        this.closeFrom = fd;
        return this;
    }

    /**
     * Leaves the child only these descriptors above stderr, whatever else this process has open without CLOEXEC at
     * the moment of the spawn (closed after the dups).
     */
    public PosixSpawn keepOnly(int[] fds) {
        this.keepOnly = fds.clone();
        return this;
    }

    public PosixSpawn setsid(boolean value) {
        this.setsid = value;
        return this;
    }

    /** Duplicates {@code fd} (CLOEXEC) to a number at or above {@code min}, so it cannot be a dup target. */
    public static int moveAboveFds(Syscalls sys, int fd, int min) {
        return sys.fcntl(fd, Flags.F_DUPFD_CLOEXEC, min);
    }

    /** Starts the process and returns its pid. */
    public int start() {
        Memory actions = new Memory(256);
        Memory attr = new Memory(1024);
        Memory sigset = new Memory(128);
        actions.clear();
        attr.clear();
        check(LibC.posix_spawn_file_actions_init(actions), "posix_spawn_file_actions_init");
        check(LibC.posix_spawnattr_init(attr), "posix_spawnattr_init");
        NativeStrings a = NativeStrings.of(argv);
        NativeStrings e = NativeStrings.of(envp);
        try {
            for (int[] d : dups) {
                // with fd == newfd, glibc clears FD_CLOEXEC instead of duplicating
                check(LibC.posix_spawn_file_actions_adddup2(actions, d[0], d[1]), "posix_spawn_file_actions_adddup2");
            }
            if (keepOnly != null) {
                for (FdGaps.Range gap : FdGaps.of(keepOnly)) {
                    if (gap.open()) {
                        closeFrom = gap.first();
                        continue;
                    }
                    // closing a descriptor that is not open is no error for posix_spawn
                    for (int fd = gap.first(); fd <= gap.last(); fd++) {
                        check(LibC.posix_spawn_file_actions_addclose(actions, fd), "posix_spawn_file_actions_addclose");
                    }
                }
            }
            if (closeFrom >= 0) {
                check(
                        LibC.posix_spawn_file_actions_addclosefrom_np(actions, closeFrom),
                        "posix_spawn_file_actions_addclosefrom_np");
            }
            // the JVM blocks and ignores some signals; the child must start with a clean slate
            LibC.sigemptyset(sigset);
            check(LibC.posix_spawnattr_setsigmask(attr, sigset), "posix_spawnattr_setsigmask");
            LibC.sigfillset(sigset);
            check(LibC.posix_spawnattr_setsigdefault(attr, sigset), "posix_spawnattr_setsigdefault");
            short flags = (short) (POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | (setsid ? POSIX_SPAWN_SETSID : 0));
            check(LibC.posix_spawnattr_setflags(attr, flags), "posix_spawnattr_setflags");
            int[] pid = new int[1];
            int r = LibC.posix_spawn(pid, path, actions, attr, a.address(), e.address());
            if (r != 0) {
                throw new SyscallException("posix_spawn", path, r);
            }
            return pid[0];
        } finally {
            a.keepAlive();
            e.keepAlive();
            LibC.posix_spawn_file_actions_destroy(actions);
            LibC.posix_spawnattr_destroy(attr);
        }
    }

    private void check(int r, String call) {
        if (r != 0) {
            throw new SyscallException(call, path, r);
        }
    }
}
