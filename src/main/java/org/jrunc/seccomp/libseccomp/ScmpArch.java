package org.jrunc.seccomp.libseccomp;

/**
 * Architecture tokens. libseccomp uses the kernel's AUDIT_ARCH_* values, except for x32, which the kernel reports as
 * AUDIT_ARCH_X86_64 with bit 30 set in the syscall number and libseccomp gives a token of its own.
 */
public final class ScmpArch {
    /** SCMP_ARCH_NATIVE: "the arch this process runs as" wherever libseccomp takes a token. */
    public static final int NATIVE = 0;

    private ScmpArch() {}

    /** The token for a libseccomp arch name ("x86_64", "x32", "aarch64", ...), or 0 when this libseccomp does not know it. */
    public static int resolve(String name) {
        LibSeccomp.require();
        return LibSeccomp.seccomp_arch_resolve_name(name);
    }

    /** The token of the architecture libseccomp was built for. */
    public static int nativeArch() {
        LibSeccomp.require();
        return LibSeccomp.seccomp_arch_native();
    }
}
