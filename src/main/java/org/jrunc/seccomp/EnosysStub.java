package org.jrunc.seccomp;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jrunc.config.Seccomp;
import org.jrunc.seccomp.BpfAssembler.Label;
import org.jrunc.seccomp.libseccomp.ScmpAction;
import org.jrunc.seccomp.libseccomp.ScmpArch;
import org.jrunc.seccomp.libseccomp.ScmpSyscalls;
import org.jrunc.sys.Errno;

/**
 * The -ENOSYS stub runc puts in front of the libseccomp program (libcontainer/seccomp/patchbpf). A profile written
 * before a syscall existed denies it with the default action, typically EPERM; but libc and language runtimes only
 * fall back to older syscalls on ENOSYS (clone3 to clone, faccessat2 to faccessat, ...). So per architecture, a
 * syscall numbered above the highest one the profile names is treated as newer than the profile and gets ENOSYS.
 */
final class EnosysStub {
    private static final int RET_ENOSYS = ScmpAction.errno(Errno.ENOSYS);
    private static final int SECCOMP_DATA_NR = 0;
    private static final int SECCOMP_DATA_ARCH = 4;
    /** x32 syscalls run under AUDIT_ARCH_X86_64 with this bit set in the number. */
    private static final int X32_SYSCALL_BIT = 0x40000000;
    /**
     * On s390 and s390x, syscall 0 multiplexes large syscall numbers, and an unknown number stays 0; so 0 is
     * "a syscall the kernel does not know" and gets ENOSYS too. Its original meaning, setup(2), is long gone.
     */
    private static final int S390_MULTIPLEX = 0;

    private EnosysStub() {}

    /**
     * runc's rule: no stub when the default action already lets unknown syscalls through (ALLOW, LOG, TRACE) or when
     * it already answers ENOSYS.
     */
    static boolean applies(Seccomp config) {
        Long errno = config.defaultErrnoRet();
        return !(errno != null && errno == Errno.ENOSYS) && !SeccompActions.isPermissive(config.defaultAction());
    }

    /**
     * @param archTokens every architecture the filter covers
     * @param names every syscall name the profile mentions, whatever its action
     * @return the stub, which falls through to whatever follows it; empty when no architecture has a known syscall
     */
    static byte[] generate(List<Integer> archTokens, Collection<String> names) {
        Map<Integer, Map<Integer, Integer>> groups = lastSyscalls(archTokens, names);
        if (groups.isEmpty()) {
            return new byte[0];
        }
        BpfAssembler a = new BpfAssembler();
        Label enosys = new Label();
        Label filter = new Label();
        Map<Integer, Label> sections = new LinkedHashMap<>();
        a.loadWord(SECCOMP_DATA_ARCH);
        for (int auditArch : groups.keySet()) {
            Label section = new Label();
            sections.put(auditArch, section);
            a.jumpIfEqual(auditArch, section, null);
        }
        // any other architecture: the filter's bad-arch action decides
        a.jump(filter);
        for (Map.Entry<Integer, Label> s : sections.entrySet()) {
            a.bind(s.getValue());
            a.loadWord(SECCOMP_DATA_NR);
            section(a, groups.get(s.getKey()), enosys, filter);
        }
        a.bind(enosys);
        a.ret(RET_ENOSYS);
        a.bind(filter);
        return a.assemble();
    }

    /** The checks for one AUDIT_ARCH value; x86_64 and x32 share one, with per-ABI highest numbers. */
    private static void section(BpfAssembler a, Map<Integer, Integer> lastByToken, Label enosys, Label filter) {
        int x86_64 = ScmpArch.resolve("x86_64");
        int x32 = ScmpArch.resolve("x32");
        if (lastByToken.containsKey(ScmpArch.resolve("s390")) || lastByToken.containsKey(ScmpArch.resolve("s390x"))) {
            a.jumpIfEqual(S390_MULTIPLEX, enosys, null);
        }
        if (!lastByToken.containsKey(x86_64) && !lastByToken.containsKey(x32)) {
            a.jumpIfGreater(lastByToken.values().iterator().next(), enosys, filter);
            return;
        }
        Integer lastX32 = lastByToken.get(x32);
        Label x32Section = lastX32 == null ? filter : new Label();
        a.jumpIfAnySet(X32_SYSCALL_BIT, x32Section, null);
        greaterOrFilter(a, lastByToken.get(x86_64), enosys, filter);
        if (lastX32 != null) {
            a.bind(x32Section);
            greaterOrFilter(a, lastX32, enosys, filter);
        }
    }

    private static void greaterOrFilter(BpfAssembler a, Integer last, Label enosys, Label filter) {
        if (last == null) {
            a.jump(filter);
        } else {
            a.jumpIfGreater(last, enosys, filter);
        }
    }

    /**
     * AUDIT_ARCH value to (arch token to the highest syscall number named for it). Architectures where no name
     * resolves to a real number get no stub section: runc leaves them to the filter alone too.
     */
    static Map<Integer, Map<Integer, Integer>> lastSyscalls(List<Integer> archTokens, Collection<String> names) {
        int x86_64 = ScmpArch.resolve("x86_64");
        int x32 = ScmpArch.resolve("x32");
        Map<Integer, Map<Integer, Integer>> groups = new LinkedHashMap<>();
        for (int token : archTokens) {
            int last = 0;
            for (String name : names) {
                // pseudo numbers (negative) stand for syscalls this architecture does not have
                last = Math.max(last, ScmpSyscalls.resolve(token, name));
            }
            if (last > 0) {
                int auditArch = token == x32 ? x86_64 : token;
                groups.computeIfAbsent(auditArch, k -> new LinkedHashMap<>()).put(token, last);
            }
        }
        return groups;
    }
}
