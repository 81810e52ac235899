package org.jrunc.sys;

/**
 * Numbers of the system calls that glibc 2.36 has no wrapper for (or whose wrapper acts on every thread, like
 * setresuid, while jrunc wants the per-thread kernel call). Calls numbered 424 and above are the same on every
 * architecture.
 */
final class SyscallNumbers {
    static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    static final long READ = AARCH64 ? 63 : 0;
    static final long WRITE = AARCH64 ? 64 : 1;
    static final long CLONE = AARCH64 ? 220 : 56;
    static final long EXECVE = AARCH64 ? 221 : 59;
    static final long EXIT_GROUP = AARCH64 ? 94 : 231;
    static final long PIVOT_ROOT = AARCH64 ? 41 : 155;
    static final long CAPGET = AARCH64 ? 90 : 125;
    static final long CAPSET = AARCH64 ? 91 : 126;
    static final long SETGROUPS = AARCH64 ? 159 : 116;
    static final long SETRESUID = AARCH64 ? 147 : 117;
    static final long SETRESGID = AARCH64 ? 149 : 119;
    static final long SECCOMP = AARCH64 ? 277 : 317;
    static final long IOPRIO_SET = AARCH64 ? 30 : 251;
    static final long SCHED_SETATTR = AARCH64 ? 274 : 314;
    static final long SCHED_SETAFFINITY = AARCH64 ? 122 : 203;
    static final long SET_MEMPOLICY = AARCH64 ? 237 : 238;
    static final long GETTID = AARCH64 ? 178 : 186;
    static final long GETPID = AARCH64 ? 172 : 39;
    static final long SETSID = AARCH64 ? 157 : 112;
    static final long PRCTL = AARCH64 ? 167 : 157;
    static final long IOCTL = AARCH64 ? 29 : 16;
    static final long DUP3 = AARCH64 ? 24 : 292;
    static final long SETNS = AARCH64 ? 268 : 308;
    static final long UNSHARE = AARCH64 ? 97 : 272;
    static final long MKNODAT = AARCH64 ? 33 : 259;
    static final long MKDIRAT = AARCH64 ? 34 : 258;
    static final long SYMLINKAT = AARCH64 ? 36 : 266;
    static final long UNLINKAT = AARCH64 ? 35 : 263;
    static final long LINKAT = AARCH64 ? 37 : 265;
    static final long FCHMODAT = AARCH64 ? 53 : 268;
    static final long GETDENTS64 = AARCH64 ? 61 : 217;
    static final long SENDFILE = AARCH64 ? 71 : 40;
    static final long PIDFD_SEND_SIGNAL = 424;
    static final long OPEN_TREE = 428;
    static final long MOVE_MOUNT = 429;
    static final long PIDFD_OPEN = 434;
    static final long CLOSE_RANGE = 436;
    static final long OPENAT2 = 437;
    static final long MOUNT_SETATTR = 442;

    private SyscallNumbers() {}
}
