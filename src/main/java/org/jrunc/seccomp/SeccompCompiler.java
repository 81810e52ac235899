package org.jrunc.seccomp;

import static org.jrunc.seccomp.ConfigErrors.field;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.jrunc.config.Seccomp;
import org.jrunc.config.SeccompSyscall;
import org.jrunc.sys.SeccompProbe;

/**
 * Compiles linux.seccomp to the BPF program and seccomp(2) flags the container init installs, with runc's semantics:
 * libseccomp builds the filter, runc's -ENOSYS stub goes in front ({@link EnosysStub}), and the flags are worked out
 * here because jrunc installs the program itself rather than through seccomp_load.
 */
public final class SeccompCompiler {
    /** BPF_MAXINSNS: the kernel refuses longer programs. */
    static final int MAX_INSTRUCTIONS = 4096;

    private final IntPredicate kernelAcceptsFlags;

    /** Checks filter flags against the running kernel. */
    public SeccompCompiler() {
        this(SeccompProbe::filterFlagsSupported);
    }

    /** @param kernelAcceptsFlags whether seccomp(SECCOMP_SET_MODE_FILTER) takes a flags value; tests fake old kernels */
    public SeccompCompiler(IntPredicate kernelAcceptsFlags) {
        this.kernelAcceptsFlags = Objects.requireNonNull(kernelAcceptsFlags);
    }

    /** @throws org.jrunc.config.ConfigException naming the field, for a profile that cannot be compiled */
    public CompiledFilter compile(Seccomp config) {
        List<String> warnings = new ArrayList<>();
        boolean usesNotify = usesNotify(config);
        byte[] program;
        try (LibseccompFilters.Built built = LibseccompFilters.build(config, warnings)) {
            byte[] filter = built.filter().exportBpf();
            byte[] stub =
                    EnosysStub.applies(config) ? EnosysStub.generate(built.archTokens(), names(config)) : new byte[0];
            program = new byte[stub.length + filter.length];
            System.arraycopy(stub, 0, program, 0, stub.length);
            System.arraycopy(filter, 0, program, stub.length, filter.length);
        }
        int flags = SeccompFlags.resolve(config.flags(), usesNotify, kernelAcceptsFlags, warnings);
        CompiledFilter compiled = new CompiledFilter(program, flags, usesNotify, warnings);
        if (compiled.instructions() > MAX_INSTRUCTIONS) {
            throw field(
                    ConfigErrors.ROOT,
                    "the compiled filter has " + compiled.instructions()
                            + " instructions, more than the kernel's limit of " + MAX_INSTRUCTIONS);
        }
        return compiled;
    }

    /** libseccomp's pseudo filter code for the profile (without the -ENOSYS stub): for debugging and tests. */
    public String toPfc(Seccomp config) {
        try (LibseccompFilters.Built built = LibseccompFilters.build(config, new ArrayList<>())) {
            return built.filter().exportPfc();
        }
    }

    /**
     * As runc: any SCMP_ACT_NOTIFY entry asks for a listener, even one whose syscalls are all unknown here, so the
     * agent gets its fd whenever the profile says it will.
     */
    private static boolean usesNotify(Seccomp config) {
        return config.syscalls() != null
                && config.syscalls().stream().anyMatch(c -> c != null && SeccompActions.NOTIFY.equals(c.action()));
    }

    private static List<String> names(Seccomp config) {
        List<String> names = new ArrayList<>();
        for (SeccompSyscall c : config.syscalls() == null ? List.<SeccompSyscall>of() : config.syscalls()) {
            names.addAll(c.names());
        }
        return names;
    }
}
