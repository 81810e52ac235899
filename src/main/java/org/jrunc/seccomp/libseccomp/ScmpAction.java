package org.jrunc.seccomp.libseccomp;

/** Filter actions (SCMP_ACT_*): the 32-bit seccomp return values libseccomp takes. */
public final class ScmpAction {
    public static final int KILL_PROCESS = 0x80000000;
    public static final int KILL_THREAD = 0x00000000;
    /** libseccomp's SCMP_ACT_KILL is the thread variant. */
    public static final int KILL = KILL_THREAD;

    public static final int TRAP = 0x00030000;
    public static final int NOTIFY = 0x7fc00000;
    public static final int LOG = 0x7ffc0000;
    public static final int ALLOW = 0x7fff0000;
    private static final int ERRNO = 0x00050000;
    private static final int TRACE = 0x7ff00000;
    private static final int DATA = 0xffff;

    private ScmpAction() {}

    /** SCMP_ACT_ERRNO(errno): the call fails with this errno (the kernel caps it at 4095). */
    public static int errno(int errno) {
        return ERRNO | (errno & DATA);
    }

    /** SCMP_ACT_TRACE(msg): a ptrace tracer is notified with this value; without one the call fails with ENOSYS. */
    public static int trace(int msg) {
        return TRACE | (msg & DATA);
    }
}
