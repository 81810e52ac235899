package org.jrunc.seccomp.libseccomp;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.ToIntBiFunction;
import org.jrunc.sys.MemFd;

/**
 * A libseccomp filter context (scmp_filter_ctx). It is only built and exported here, never loaded: jrunc installs the
 * exported program itself, with flags of its choosing. Not thread-safe; close it to free the native context.
 */
public final class SeccompFilter implements AutoCloseable {
    private static final int EEXIST = 17;

    private Pointer ctx;

    private SeccompFilter(Pointer ctx) {
        this.ctx = ctx;
    }

    /** seccomp_init: a filter for the native architecture whose unmatched syscalls get {@code defaultAction}. */
    public static SeccompFilter create(int defaultAction) {
        LibSeccomp.require();
        Pointer ctx = LibSeccomp.seccomp_init(defaultAction);
        if (ctx == null) {
            // seccomp_init reports no errno; an action the library or kernel rejects is the usual cause
            throw new LibSeccompException(
                    "libseccomp seccomp_init: default action 0x" + Integer.toHexString(defaultAction) + " rejected");
        }
        return new SeccompFilter(ctx);
    }

    private Pointer ctx() {
        if (ctx == null) {
            throw new IllegalStateException("seccomp filter already released");
        }
        return ctx;
    }

    /** Adds an architecture; false when the filter already has it. */
    public boolean addArch(int archToken) {
        int ret = LibSeccomp.seccomp_arch_add(ctx(), archToken);
        if (ret == -EEXIST) {
            return false;
        }
        LibSeccompException.check(ret, "seccomp_arch_add", archName(archToken));
        return true;
    }

    public void removeArch(int archToken) {
        LibSeccompException.check(
                LibSeccomp.seccomp_arch_remove(ctx(), archToken), "seccomp_arch_remove", archName(archToken));
    }

    public boolean hasArch(int archToken) {
        // 0 when present, -EEXIST when absent: the inverse of what the name suggests
        int ret = LibSeccomp.seccomp_arch_exist(ctx(), archToken);
        if (ret == -EEXIST) {
            return false;
        }
        LibSeccompException.check(ret, "seccomp_arch_exist", archName(archToken));
        return true;
    }

    /**
     * seccomp_rule_add_array: {@code action} for {@code syscall} when all comparisons hold. The syscall number is the
     * native one (or a pseudo number); libseccomp translates it for every architecture in the filter. Fails with
     * EACCES when the action is the default action and EEXIST when the same match already has another action.
     */
    public void addRule(int action, int syscall, List<ScmpArgCmp> args) {
        Memory array = ScmpArgCmp.toNative(args);
        LibSeccompException.check(
                LibSeccomp.seccomp_rule_add_array(ctx(), action, syscall, args.size(), array),
                "seccomp_rule_add_array",
                "syscall " + syscall);
    }

    public void addRule(int action, int syscall, ScmpArgCmp... args) {
        addRule(action, syscall, List.of(args));
    }

    public int getAttr(ScmpFilterAttr attr) {
        int[] value = new int[1];
        LibSeccompException.check(
                LibSeccomp.seccomp_attr_get(ctx(), attr.code(), value), "seccomp_attr_get", attr.name());
        return value[0];
    }

    public void setAttr(ScmpFilterAttr attr, int value) {
        LibSeccompException.check(
                LibSeccomp.seccomp_attr_set(ctx(), attr.code(), value), "seccomp_attr_set", attr.name());
    }

    /** The classic BPF program: an array of 8-byte struct sock_filter in host byte order. */
    public byte[] exportBpf() {
        return export(LibSeccomp::seccomp_export_bpf, "seccomp_export_bpf");
    }

    /** The filter as human-readable pseudo filter code. */
    public String exportPfc() {
        return new String(export(LibSeccomp::seccomp_export_pfc, "seccomp_export_pfc"), StandardCharsets.UTF_8);
    }

    private byte[] export(ToIntBiFunction<Pointer, Integer> exporter, String call) {
        // libseccomp 2.5 only exports to a descriptor (seccomp_export_bpf_mem is 2.6)
        try (MemFd out = MemFd.create("jrunc-seccomp")) {
            LibSeccompException.check(exporter.applyAsInt(ctx(), out.fd()), call, "");
            return out.contents();
        }
    }

    @Override
    public void close() {
        if (ctx != null) {
            LibSeccomp.seccomp_release(ctx);
            ctx = null;
        }
    }

    private static String archName(int token) {
        return "arch 0x" + Integer.toHexString(token);
    }
}
