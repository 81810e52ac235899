package org.jrunc.seccomp.libseccomp;

import com.sun.jna.Native;
import com.sun.jna.Pointer;

/**
 * Syscall name resolution. A name libseccomp knows on some architecture but not on the one asked about resolves to a
 * negative pseudo-syscall number (such as socketcall on x86_64); rules on it apply only where it exists. A name unknown
 * everywhere resolves to {@link #NR_ERROR}.
 */
public final class ScmpSyscalls {
    /** __NR_SCMP_ERROR */
    public static final int NR_ERROR = -1;

    private ScmpSyscalls() {}

    /** The number on the native architecture. */
    public static int resolve(String name) {
        LibSeccomp.require();
        return LibSeccomp.seccomp_syscall_resolve_name(name);
    }

    /** The number on the architecture with this token (x32 numbers include the x32 bit, 0x40000000). */
    public static int resolve(int archToken, String name) {
        LibSeccomp.require();
        return LibSeccomp.seccomp_syscall_resolve_name_arch(archToken, name);
    }

    /** The name of syscall {@code nr} on an architecture, or null when libseccomp knows none. */
    public static String name(int archToken, int nr) {
        LibSeccomp.require();
        Pointer p = LibSeccomp.seccomp_syscall_resolve_num_arch(archToken, nr);
        if (p == null) {
            return null;
        }
        try {
            return p.getString(0);
        } finally {
            Native.free(Pointer.nativeValue(p));
        }
    }
}
