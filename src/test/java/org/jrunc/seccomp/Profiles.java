package org.jrunc.seccomp;

import java.util.List;
import org.jrunc.config.Seccomp;
import org.jrunc.config.SeccompArg;
import org.jrunc.config.SeccompSyscall;

/** Terse builders for linux.seccomp objects in tests. */
final class Profiles {
    static final int AUDIT_X86_64 = 0xc000003e;
    static final int AUDIT_I386 = 0x40000003;
    static final int AUDIT_AARCH64 = 0xc00000b7;
    static final int X32_BIT = 0x40000000;

    private Profiles() {}

    static Seccomp profile(String defaultAction, SeccompSyscall... syscalls) {
        return new Seccomp(defaultAction, null, null, null, null, null, List.of(syscalls));
    }

    static Seccomp withDefaultErrno(Seccomp s, Long errno) {
        return new Seccomp(s.defaultAction(), errno, s.architectures(), s.flags(), null, null, s.syscalls());
    }

    static Seccomp withArchs(Seccomp s, String... archs) {
        return new Seccomp(s.defaultAction(), s.defaultErrnoRet(), List.of(archs), s.flags(), null, null, s.syscalls());
    }

    static Seccomp withFlags(Seccomp s, String... flags) {
        return new Seccomp(
                s.defaultAction(), s.defaultErrnoRet(), s.architectures(), List.of(flags), null, null, s.syscalls());
    }

    static SeccompSyscall rule(String action, String... names) {
        return new SeccompSyscall(List.of(names), action, null, null);
    }

    static SeccompSyscall errnoRule(String action, long errnoRet, String... names) {
        return new SeccompSyscall(List.of(names), action, errnoRet, null);
    }

    static SeccompSyscall argRule(String action, List<SeccompArg> args, String... names) {
        return new SeccompSyscall(List.of(names), action, null, args);
    }

    static SeccompArg arg(int index, String op, long value) {
        return new SeccompArg(index, value, null, op);
    }

    static SeccompArg arg(int index, String op, long value, long valueTwo) {
        return new SeccompArg(index, value, valueTwo, op);
    }
}
