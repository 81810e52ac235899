package org.jrunc.seccomp;

import static org.jrunc.seccomp.ConfigErrors.field;
import static org.jrunc.seccomp.ConfigErrors.quoted;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.jrunc.seccomp.libseccomp.LibSeccompException;
import org.jrunc.seccomp.libseccomp.ScmpArch;
import org.jrunc.seccomp.libseccomp.ScmpVersion;
import org.jrunc.seccomp.libseccomp.SeccompFilter;
import org.jrunc.sys.Errno;

/** linux.seccomp.architectures: OCI names (SCMP_ARCH_*) to libseccomp architectures. */
final class SeccompArchitectures {
    private static final Map<String, String> LIBSECCOMP_NAMES = Map.ofEntries(
            Map.entry("SCMP_ARCH_X86", "x86"),
            Map.entry("SCMP_ARCH_X86_64", "x86_64"),
            Map.entry("SCMP_ARCH_X32", "x32"),
            Map.entry("SCMP_ARCH_ARM", "arm"),
            Map.entry("SCMP_ARCH_AARCH64", "aarch64"),
            Map.entry("SCMP_ARCH_MIPS", "mips"),
            Map.entry("SCMP_ARCH_MIPS64", "mips64"),
            Map.entry("SCMP_ARCH_MIPS64N32", "mips64n32"),
            Map.entry("SCMP_ARCH_MIPSEL", "mipsel"),
            Map.entry("SCMP_ARCH_MIPSEL64", "mipsel64"),
            Map.entry("SCMP_ARCH_MIPSEL64N32", "mipsel64n32"),
            Map.entry("SCMP_ARCH_PPC", "ppc"),
            Map.entry("SCMP_ARCH_PPC64", "ppc64"),
            Map.entry("SCMP_ARCH_PPC64LE", "ppc64le"),
            Map.entry("SCMP_ARCH_S390", "s390"),
            Map.entry("SCMP_ARCH_S390X", "s390x"),
            Map.entry("SCMP_ARCH_PARISC", "parisc"),
            Map.entry("SCMP_ARCH_PARISC64", "parisc64"),
            Map.entry("SCMP_ARCH_RISCV64", "riscv64"),
            Map.entry("SCMP_ARCH_LOONGARCH64", "loongarch64"));

    private static final int EDOM = 33;

    static List<String> names() {
        return new ArrayList<>(new TreeSet<>(LIBSECCOMP_NAMES.keySet()));
    }

    private SeccompArchitectures() {}

    /**
     * Adds the configured architectures to a filter, which already has the native one (libseccomp adds it at init
     * and runc keeps it, whatever the list says).
     *
     * @return the tokens of every architecture the filter now covers, native first
     */
    static List<Integer> addTo(SeccompFilter filter, List<String> architectures, List<String> warnings) {
        List<Integer> tokens = new ArrayList<>();
        tokens.add(ScmpArch.nativeArch());
        if (architectures == null) {
            return tokens;
        }
        for (int i = 0; i < architectures.size(); i++) {
            String path = ConfigErrors.ROOT + ".architectures[" + i + "]";
            String name = architectures.get(i);
            String libName = name == null ? null : LIBSECCOMP_NAMES.get(name);
            if (libName == null) {
                throw field(path, "unknown architecture " + quoted(name));
            }
            int token = ScmpArch.resolve(libName);
            if (token == 0) {
                // a valid OCI name this libseccomp predates (loongarch64 is 2.6); it cannot be the native arch,
                // so leaving it out only affects foreign-arch binaries, which then get the bad-arch action
                warnings.add(
                        path + ": " + name + " is not supported by libseccomp " + ScmpVersion.current() + ", ignored");
                continue;
            }
            if (add(filter, token, path, name)) {
                tokens.add(token);
            }
        }
        return tokens;
    }

    private static boolean add(SeccompFilter filter, int token, String path, String name) {
        try {
            return filter.addArch(token);
        } catch (LibSeccompException e) {
            // EDOM: one BPF program cannot serve both byte orders, e.g. s390x in an x86_64 filter
            String why = e.errno() == EDOM
                    ? "its byte order differs from the native architecture's"
                    : Errno.describe(e.errno());
            throw field(path, "cannot add " + name + ": " + why);
        }
    }
}
