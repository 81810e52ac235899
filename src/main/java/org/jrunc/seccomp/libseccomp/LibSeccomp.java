package org.jrunc.seccomp.libseccomp;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;

/**
 * The functions of libseccomp 2.5 (seccomp.h), called through JNA's {@link Function} rather than direct mapping, for
 * the reason {@code org.jrunc.sys.LibC} gives (direct registration costs every JVM 12-16 ms). uint32_t parameters and
 * results (actions, arch tokens) are Java ints holding the same bits. Functions returning int report failure as a
 * negative errno.
 */
final class LibSeccomp {
    private static final String SONAME = "libseccomp.so.2";
    private static NativeLibrary lib;
    private static final Throwable LOAD_FAILURE = load();

    private LibSeccomp() {}

    private static Throwable load() {
        try {
            // the soname rather than "seccomp": the short name makes JNA run ldconfig -p to find the file
            lib = NativeLibrary.getInstance(SONAME);
            return null;
        } catch (UnsatisfiedLinkError e) {
            return e;
        }
    }

    private static int i(String function, Object... args) {
        return lib.getFunction(function).invokeInt(args);
    }

    private static void v(String function, Object... args) {
        lib.getFunction(function).invokeVoid(args);
    }

    private static Pointer ptr(String function, Object... args) {
        return lib.getFunction(function).invokePointer(args);
    }

    /** Called by every public entry point, so a host without libseccomp gets one clear error instead of a link error. */
    static void require() {
        if (LOAD_FAILURE != null) {
            throw new LibSeccompException("cannot load " + SONAME + ": " + LOAD_FAILURE.getMessage());
        }
    }

    static Pointer seccomp_version() {
        return ptr("seccomp_version");
    }

    static int seccomp_api_get() {
        return i("seccomp_api_get");
    }

    static Pointer seccomp_init(int defAction) {
        return ptr("seccomp_init", defAction);
    }

    static void seccomp_release(Pointer ctx) {
        v("seccomp_release", ctx);
    }

    static int seccomp_arch_add(Pointer ctx, int archToken) {
        return i("seccomp_arch_add", ctx, archToken);
    }

    static int seccomp_arch_remove(Pointer ctx, int archToken) {
        return i("seccomp_arch_remove", ctx, archToken);
    }

    static int seccomp_arch_exist(Pointer ctx, int archToken) {
        return i("seccomp_arch_exist", ctx, archToken);
    }

    static int seccomp_arch_resolve_name(String archName) {
        return i("seccomp_arch_resolve_name", archName);
    }

    static int seccomp_arch_native() {
        return i("seccomp_arch_native");
    }

    static int seccomp_syscall_resolve_name(String name) {
        return i("seccomp_syscall_resolve_name", name);
    }

    static int seccomp_syscall_resolve_name_arch(int archToken, String name) {
        return i("seccomp_syscall_resolve_name_arch", archToken, name);
    }

    /** A malloc'd name, or NULL; the caller frees it. */
    static Pointer seccomp_syscall_resolve_num_arch(int archToken, int num) {
        return ptr("seccomp_syscall_resolve_num_arch", archToken, num);
    }

    static int seccomp_rule_add_array(Pointer ctx, int action, int syscall, int argCnt, Pointer argArray) {
        return i("seccomp_rule_add_array", ctx, action, syscall, argCnt, argArray);
    }

    static int seccomp_attr_get(Pointer ctx, int attr, int[] value) {
        return i("seccomp_attr_get", ctx, attr, value);
    }

    static int seccomp_attr_set(Pointer ctx, int attr, int value) {
        return i("seccomp_attr_set", ctx, attr, value);
    }

    static int seccomp_export_bpf(Pointer ctx, int fd) {
        return i("seccomp_export_bpf", ctx, fd);
    }

    static int seccomp_export_pfc(Pointer ctx, int fd) {
        return i("seccomp_export_pfc", ctx, fd);
    }
}
