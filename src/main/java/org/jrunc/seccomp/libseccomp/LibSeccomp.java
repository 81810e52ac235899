package org.jrunc.seccomp.libseccomp;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * Direct-mapped functions of libseccomp 2.5 (seccomp.h). uint32_t parameters and results (actions, arch tokens) are
 * Java ints holding the same bits. Functions returning int report failure as a negative errno.
 */
final class LibSeccomp {
    private static final String SONAME = "libseccomp.so.2";
    private static final Throwable LOAD_FAILURE = register();

    private LibSeccomp() {
    }

    private static Throwable register() {
        try {
            org.jrunc.sys.JnaStartup.seedFieldOrder();
            // the soname rather than "seccomp": the short name makes JNA run ldconfig -p to find the file
            Native.register(LibSeccomp.class, NativeLibrary.getInstance(SONAME));
            return null;
        } catch (UnsatisfiedLinkError e) {
            return e;
        }
    }

    /** Called by every public entry point, so a host without libseccomp gets one clear error instead of a link error. */
    static void require() {
        if (LOAD_FAILURE != null) {
            throw new LibSeccompException("cannot load " + SONAME + ": " + LOAD_FAILURE.getMessage());
        }
    }

    static native Pointer seccomp_version();

    static native int seccomp_api_get();

    static native Pointer seccomp_init(int defAction);

    static native void seccomp_release(Pointer ctx);

    static native int seccomp_arch_add(Pointer ctx, int archToken);

    static native int seccomp_arch_remove(Pointer ctx, int archToken);

    static native int seccomp_arch_exist(Pointer ctx, int archToken);

    static native int seccomp_arch_resolve_name(String archName);

    static native int seccomp_arch_native();

    static native int seccomp_syscall_resolve_name(String name);

    static native int seccomp_syscall_resolve_name_arch(int archToken, String name);

    /** A malloc'd name, or NULL; the caller frees it. */
    static native Pointer seccomp_syscall_resolve_num_arch(int archToken, int num);

    static native int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCnt, Pointer argArray);

    static native int seccomp_attr_get(Pointer ctx, int attr, int[] value);

    static native int seccomp_attr_set(Pointer ctx, int attr, int value);

    static native int seccomp_export_bpf(Pointer ctx, int fd);

    static native int seccomp_export_pfc(Pointer ctx, int fd);
}
