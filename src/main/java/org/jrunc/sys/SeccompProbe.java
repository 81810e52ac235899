package org.jrunc.sys;

import com.sun.jna.Native;

/** Asks the running kernel which seccomp(2) filter flags it knows, without installing anything. */
public final class SeccompProbe {
    private static final int SECCOMP_SET_MODE_FILTER = 1;
    private static final int EFAULT = 14;

    private SeccompProbe() {}

    /**
     * Whether seccomp(SECCOMP_SET_MODE_FILTER) accepts this combination of flags. The call is made with a NULL program:
     * the kernel checks the flags (and their combinations) first and fails with EINVAL for ones it does not know, and
     * only then copies the program, which fails with EFAULT. So EFAULT means "supported" and no filter is ever
     * installed. runc's FlagSupported probes the same way.
     */
    public static boolean filterFlagsSupported(int flags) {
        long ret = LibC.syscall(SyscallNumbers.SECCOMP, SECCOMP_SET_MODE_FILTER, flags & 0xffffffffL, 0, 0, 0, 0);
        return ret < 0 && Native.getLastError() == EFAULT;
    }
}
