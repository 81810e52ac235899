package org.jrunc.seccomp;

import static org.jrunc.seccomp.Profiles.AUDIT_AARCH64;
import static org.jrunc.seccomp.Profiles.AUDIT_I386;
import static org.jrunc.seccomp.Profiles.AUDIT_X86_64;
import static org.jrunc.seccomp.Profiles.X32_BIT;
import static org.jrunc.seccomp.Profiles.arg;
import static org.jrunc.seccomp.Profiles.argRule;
import static org.jrunc.seccomp.Profiles.errnoRule;
import static org.jrunc.seccomp.Profiles.profile;
import static org.jrunc.seccomp.Profiles.rule;
import static org.jrunc.seccomp.Profiles.withArchs;
import static org.jrunc.seccomp.Profiles.withDefaultErrno;
import static org.jrunc.seccomp.Profiles.withFlags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Seccomp;
import org.jrunc.config.SeccompArg;
import org.jrunc.seccomp.libseccomp.ScmpAction;
import org.jrunc.seccomp.libseccomp.ScmpArch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SeccompCompilerTest {
    // x86_64 numbers
    private static final int READ = 0;
    private static final int DUP = 32;
    private static final int GETPID = 39;
    private static final int PERSONALITY = 135;
    private static final int GETPPID = 110;

    private final SeccompCompiler compiler = new SeccompCompiler();

    @BeforeAll
    static void x86Host() {
        assumeTrue(ScmpArch.nativeArch() == ScmpArch.resolve("x86_64"), "x86_64 host: syscall numbers below are its");
    }

    private static int run(CompiledFilter f, int nr, long... args) {
        return BpfInterpreter.run(f.program(), AUDIT_X86_64, nr, args);
    }

    // ---- default action ----

    @Test
    void errnoDefaultIsEperm() {
        CompiledFilter f = compiler.compile(profile("SCMP_ACT_ERRNO"));
        assertEquals(ScmpAction.errno(1), run(f, GETPID));
        assertEquals(0, f.flags());
        assertFalse(f.usesNotify());
        assertEquals(List.of(), f.warnings());
        assertEquals(0, f.program().length % 8);
    }

    @Test
    void defaultErrnoRet() {
        CompiledFilter f = compiler.compile(withDefaultErrno(profile("SCMP_ACT_ERRNO"), 38L));
        assertEquals(ScmpAction.errno(38), run(f, GETPID));
    }

    @Test
    void traceDefaultTakesDefaultErrnoRet() {
        assertEquals(ScmpAction.trace(1), run(compiler.compile(profile("SCMP_ACT_TRACE")), GETPID));
        assertEquals(
                ScmpAction.trace(9), run(compiler.compile(withDefaultErrno(profile("SCMP_ACT_TRACE"), 9L)), GETPID));
    }

    // ---- actions ----

    @ParameterizedTest
    @CsvSource({
        "SCMP_ACT_KILL,         0x00000000",
        "SCMP_ACT_KILL_THREAD,  0x00000000",
        "SCMP_ACT_KILL_PROCESS, 0x80000000",
        "SCMP_ACT_TRAP,         0x00030000",
        "SCMP_ACT_ERRNO,        0x00050001",
        "SCMP_ACT_TRACE,        0x7ff00001",
        "SCMP_ACT_ALLOW,        0x7fff0000",
        "SCMP_ACT_LOG,          0x7ffc0000",
        "SCMP_ACT_NOTIFY,       0x7fc00000",
    })
    void everyAction(String action, String expected) {
        String defaultAction = action.equals("SCMP_ACT_LOG") ? "SCMP_ACT_ALLOW" : "SCMP_ACT_LOG";
        CompiledFilter f = compiler.compile(profile(defaultAction, rule(action, "getpid")));
        assertEquals(Integer.parseUnsignedInt(expected.substring(2), 16), run(f, GETPID));
        assertEquals(defaultAction.equals("SCMP_ACT_LOG") ? ScmpAction.LOG : ScmpAction.ALLOW, run(f, GETPPID));
    }

    @Test
    void errnoRetOfRules() {
        CompiledFilter f = compiler.compile(profile(
                "SCMP_ACT_ALLOW",
                errnoRule("SCMP_ACT_ERRNO", 13, "getpid"),
                errnoRule("SCMP_ACT_ERRNO", 0, "getppid"),
                errnoRule("SCMP_ACT_TRACE", 7, "dup")));
        assertEquals(ScmpAction.errno(13), run(f, GETPID));
        assertEquals(ScmpAction.errno(0), run(f, GETPPID));
        assertEquals(ScmpAction.trace(7), run(f, DUP));
    }

    // ---- config errors: one line, naming the field ----

    @Test
    void unknownAction() {
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[1].action: unknown action \"SCMP_ACT_FOO\"",
                profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "getpid"), rule("SCMP_ACT_FOO", "getppid")));
        assertConfigError(
                "config.json: field linux.seccomp.defaultAction: unknown action \"SCMP_ACT_BAR\"",
                profile("SCMP_ACT_BAR"));
        assertConfigError("config.json: field linux.seccomp.defaultAction: missing", profile(null));
    }

    @Test
    void errnoRetOnActionWithoutErrno() {
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].errnoRet: only SCMP_ACT_ERRNO and "
                        + "SCMP_ACT_TRACE take an errno, not SCMP_ACT_ALLOW",
                profile("SCMP_ACT_ERRNO", errnoRule("SCMP_ACT_ALLOW", 1, "getpid")));
        assertConfigError(
                "config.json: field linux.seccomp.defaultErrnoRet: only SCMP_ACT_ERRNO and "
                        + "SCMP_ACT_TRACE take an errno, not SCMP_ACT_KILL_PROCESS",
                withDefaultErrno(profile("SCMP_ACT_KILL_PROCESS"), 1L));
    }

    @Test
    void errnoRetOutOfRange() {
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].errnoRet: 65536 is out of range (0-65535)",
                profile("SCMP_ACT_ALLOW", errnoRule("SCMP_ACT_ERRNO", 65536, "getpid")));
        // uint64 max arrives as -1L
        assertConfigError(
                "config.json: field linux.seccomp.defaultErrnoRet: 18446744073709551615 is out of range " + "(0-65535)",
                withDefaultErrno(profile("SCMP_ACT_ERRNO"), -1L));
    }

    @Test
    void unknownArchitecture() {
        assertConfigError(
                "config.json: field linux.seccomp.architectures[1]: unknown architecture \"SCMP_ARCH_VAX\"",
                withArchs(profile("SCMP_ACT_ALLOW"), "SCMP_ARCH_X86", "SCMP_ARCH_VAX"));
    }

    @Test
    void badArguments() {
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].args[1].op: unknown operator \"SCMP_CMP_FOO\"",
                profile(
                        "SCMP_ACT_ALLOW",
                        argRule(
                                "SCMP_ACT_ERRNO",
                                List.of(arg(0, "SCMP_CMP_EQ", 1), arg(1, "SCMP_CMP_FOO", 1)),
                                "dup")));
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0-5)",
                profile("SCMP_ACT_ALLOW", argRule("SCMP_ACT_ERRNO", List.of(arg(6, "SCMP_CMP_EQ", 1)), "dup")));
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].args[0].value: missing",
                profile(
                        "SCMP_ACT_ALLOW",
                        argRule("SCMP_ACT_ERRNO", List.of(new SeccompArg(0, null, null, "SCMP_CMP_EQ")), "dup")));
    }

    @Test
    void unknownFlag() {
        assertConfigError(
                "config.json: field linux.seccomp.flags[1]: unknown flag \"SECCOMP_FILTER_FLAG_FOO\"",
                withFlags(profile("SCMP_ACT_ALLOW"), "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_FOO"));
    }

    @Test
    void badNames() {
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].names: must name at least one syscall",
                profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO")));
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].names[1]: empty syscall name",
                profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "getpid", "")));
    }

    @Test
    void notifyRestrictions() {
        assertConfigError(
                "config.json: field linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action",
                profile("SCMP_ACT_NOTIFY"));
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[0].names[1]: SCMP_ACT_NOTIFY cannot be used for "
                        + "\"write\": the init calls it after installing the filter",
                profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "mkdirat", "write")));
    }

    @Test
    void conflictingRules() {
        // libseccomp refuses the same comparison with another action (for unconditional rules, the first one wins)
        List<SeccompArg> same = List.of(arg(0, "SCMP_CMP_EQ", 1));
        assertConfigError(
                "config.json: field linux.seccomp.syscalls[1]: cannot add rule for \"dup\": file exists",
                profile(
                        "SCMP_ACT_KILL",
                        argRule("SCMP_ACT_ALLOW", same, "dup"),
                        argRule("SCMP_ACT_ERRNO", same, "dup")));
    }

    @Test
    void programLongerThanTheKernelTakes() {
        // one rule per value of the same argument (ORed): about one instruction each
        List<SeccompArg> values = new ArrayList<>();
        for (int v = 0; v < 4200; v++) {
            values.add(arg(0, "SCMP_CMP_EQ", v));
        }
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> compiler.compile(profile("SCMP_ACT_ALLOW", argRule("SCMP_ACT_ERRNO", values, "personality"))));
        assertTrue(
                e.getMessage()
                        .matches("config\\.json: field linux\\.seccomp: the compiled filter has \\d+ "
                                + "instructions, more than the kernel's limit of 4096"),
                e.getMessage());
    }

    private void assertConfigError(String message, Seccomp profile) {
        ConfigException e = assertThrows(ConfigException.class, () -> compiler.compile(profile));
        assertEquals(message, e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    // ---- syscalls ----

    @Test
    void unknownSyscallIsSkippedWithAWarning() {
        CompiledFilter f =
                compiler.compile(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "getpid", "no_such_syscall")));
        assertEquals(
                List.of("linux.seccomp.syscalls[0].names[1]: unknown syscall \"no_such_syscall\", ignored"),
                f.warnings());
        assertEquals(ScmpAction.errno(1), run(f, GETPID));
    }

    @Test
    void conditionsOnDifferentArgumentsAreAnded() {
        CompiledFilter f = compiler.compile(profile(
                "SCMP_ACT_ALLOW",
                argRule("SCMP_ACT_ERRNO", List.of(arg(0, "SCMP_CMP_EQ", 1), arg(1, "SCMP_CMP_EQ", 2)), "dup")));
        assertEquals(ScmpAction.errno(1), run(f, DUP, 1, 2));
        assertEquals(ScmpAction.ALLOW, run(f, DUP, 1, 3));
        assertEquals(ScmpAction.ALLOW, run(f, DUP, 0, 2));
    }

    @Test
    void conditionsOnTheSameArgumentBecomeSeparateRules() {
        // runc's behaviour for e.g. personality in Docker's profile: libseccomp cannot AND them, so they are ORed
        Seccomp p = profile(
                "SCMP_ACT_ERRNO",
                argRule(
                        "SCMP_ACT_ALLOW",
                        List.of(arg(0, "SCMP_CMP_EQ", 0), arg(0, "SCMP_CMP_EQ", 8), arg(0, "SCMP_CMP_EQ", 0x20000)),
                        "personality"));
        CompiledFilter f = compiler.compile(p);
        assertEquals(ScmpAction.ALLOW, run(f, PERSONALITY, 0));
        assertEquals(ScmpAction.ALLOW, run(f, PERSONALITY, 8));
        assertEquals(ScmpAction.ALLOW, run(f, PERSONALITY, 0x20000));
        assertEquals(ScmpAction.errno(1), run(f, PERSONALITY, 0xffffffffL));
        String pfc = compiler.toPfc(p);
        assertTrue(pfc.contains("if ($a0.lo32 == 8)") && pfc.contains("if ($a0.lo32 == 131072)"), pfc);
    }

    @ParameterizedTest
    @CsvSource({
        // op, value, valueTwo, a matching a0, a non-matching a0
        "SCMP_CMP_NE,        5,    0,    6,             5",
        "SCMP_CMP_LT,        5,    0,    4,             5",
        "SCMP_CMP_LE,        5,    0,    5,             6",
        "SCMP_CMP_EQ,        5,    0,    5,             4",
        "SCMP_CMP_GE,        5,    0,    5,             4",
        "SCMP_CMP_GT,        5,    0,    6,             5",
        "SCMP_CMP_MASKED_EQ, 255,  18,   0x312,         0x313",
        "SCMP_CMP_GT,        0x100000000, 0, 0x100000001, 0xffffffff",
        "SCMP_CMP_EQ,        0xffffffffffffffff, 0, 0xffffffffffffffff, 0xffffffff",
        "SCMP_CMP_MASKED_EQ, 0xff00000000, 0x1200000000, 0x1234567890, 0x1334567890",
    })
    void everyComparison(String op, String value, String valueTwo, String match, String noMatch) {
        CompiledFilter f = compiler.compile(profile(
                "SCMP_ACT_ALLOW", argRule("SCMP_ACT_ERRNO", List.of(arg(0, op, u64(value), u64(valueTwo))), "dup")));
        assertEquals(ScmpAction.errno(1), run(f, DUP, u64(match)), op + " " + match);
        assertEquals(ScmpAction.ALLOW, run(f, DUP, u64(noMatch)), op + " " + noMatch);
    }

    private static long u64(String s) {
        return s.startsWith("0x") ? Long.parseUnsignedLong(s.substring(2), 16) : Long.parseUnsignedLong(s);
    }

    @Test
    void rulesEqualToTheDefaultAreSkipped() {
        Seccomp p = profile(
                "SCMP_ACT_ERRNO",
                rule("SCMP_ACT_ERRNO", "getpid"),
                errnoRule("SCMP_ACT_ERRNO", 1, "getppid"),
                errnoRule("SCMP_ACT_ERRNO", 2, "dup"));
        CompiledFilter f = compiler.compile(p);
        assertEquals(List.of(), f.warnings());
        assertEquals(ScmpAction.errno(2), run(f, DUP));
        String pfc = compiler.toPfc(p);
        assertFalse(pfc.contains("\"getpid\"") || pfc.contains("\"getppid\""), pfc);
        assertTrue(pfc.contains("\"dup\""), pfc);
    }

    // ---- architectures ----

    @Test
    void multiArch() {
        Seccomp p = withArchs(
                profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "getpid")),
                "SCMP_ARCH_X86_64",
                "SCMP_ARCH_X86",
                "SCMP_ARCH_X32");
        String pfc = compiler.toPfc(p);
        assertTrue(pfc.contains("# filter for arch x86_64 "), pfc);
        assertTrue(pfc.contains("# filter for arch x86 "), pfc);
        assertTrue(pfc.contains("# filter for arch x32 "), pfc);
        CompiledFilter f = compiler.compile(p);
        assertEquals(ScmpAction.errno(1), run(f, GETPID));
        assertEquals(ScmpAction.errno(1), BpfInterpreter.run(f.program(), AUDIT_I386, 20));
        assertEquals(ScmpAction.errno(1), BpfInterpreter.run(f.program(), AUDIT_X86_64, X32_BIT | GETPID));
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(f.program(), AUDIT_I386, GETPID));
        // not in the filter: libseccomp's bad-arch action
        assertEquals(ScmpAction.KILL_THREAD, BpfInterpreter.run(f.program(), AUDIT_AARCH64, GETPID));
    }

    @Test
    void nativeArchIsAlwaysKept() {
        CompiledFilter f = compiler.compile(
                withArchs(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "read")), "SCMP_ARCH_AARCH64"));
        assertEquals(ScmpAction.errno(1), run(f, READ));
        assertEquals(ScmpAction.errno(1), BpfInterpreter.run(f.program(), AUDIT_AARCH64, 63));
    }

    @Test
    void architectureThisLibseccompLacksIsAWarning() {
        assumeTrue(ScmpArch.resolve("loongarch64") == 0, "libseccomp before 2.6");
        CompiledFilter f = compiler.compile(withArchs(profile("SCMP_ACT_ALLOW"), "SCMP_ARCH_LOONGARCH64"));
        assertEquals(1, f.warnings().size());
        assertTrue(
                f.warnings()
                        .get(0)
                        .startsWith("linux.seccomp.architectures[0]: SCMP_ARCH_LOONGARCH64 is not "
                                + "supported by libseccomp 2.5"),
                f.warnings().get(0));
    }

    // ---- flags and notify ----

    @Test
    void notifySetsNewListener() {
        CompiledFilter f = compiler.compile(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "mkdirat")));
        assertTrue(f.usesNotify());
        assertEquals(SeccompFlags.NEW_LISTENER, f.flags());
        assertEquals(ScmpAction.NOTIFY, run(f, 258));
    }

    @Test
    void notifyForUnknownSyscallsStillAsksForAListener() {
        CompiledFilter f = compiler.compile(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "no_such_syscall")));
        assertTrue(f.usesNotify());
        assertEquals(SeccompFlags.NEW_LISTENER, f.flags());
    }

    @Test
    void flagsSupportedByThisKernel() {
        Seccomp p = profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "mkdirat"));
        assertEquals(
                SeccompFlags.NEW_LISTENER
                        | SeccompFlags.LOG
                        | SeccompFlags.SPEC_ALLOW
                        | SeccompFlags.WAIT_KILLABLE_RECV
                        | SeccompFlags.TSYNC
                        | SeccompFlags.TSYNC_ESRCH,
                compiler.compile(withFlags(
                                p,
                                "SECCOMP_FILTER_FLAG_LOG",
                                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV",
                                "SECCOMP_FILTER_FLAG_TSYNC"))
                        .flags());
    }

    @Test
    void waitKillableRecvNeedsNotify() {
        CompiledFilter f =
                compiler.compile(withFlags(profile("SCMP_ACT_ALLOW"), "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV"));
        assertEquals(0, f.flags());
        assertEquals(
                List.of("linux.seccomp.flags[0]: SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV has no effect without "
                        + "SCMP_ACT_NOTIFY rules, ignored"),
                f.warnings());
    }

    @Test
    void flagTheKernelLacksIsSkippedWithAWarning() {
        SeccompCompiler oldKernel = new SeccompCompiler(flags -> (flags & SeccompFlags.SPEC_ALLOW) == 0);
        CompiledFilter f = oldKernel.compile(
                withFlags(profile("SCMP_ACT_ALLOW"), "SECCOMP_FILTER_FLAG_LOG", "SECCOMP_FILTER_FLAG_SPEC_ALLOW"));
        assertEquals(SeccompFlags.LOG, f.flags());
        assertEquals(
                List.of("linux.seccomp.flags[1]: SECCOMP_FILTER_FLAG_SPEC_ALLOW is not supported by this kernel, "
                        + "ignored"),
                f.warnings());
    }

    @Test
    void tsyncWithoutEsrchCannotBeCombinedWithNotify() {
        SeccompCompiler oldKernel = new SeccompCompiler(flags -> (flags & SeccompFlags.TSYNC_ESRCH) == 0);
        CompiledFilter f = oldKernel.compile(
                withFlags(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "mkdirat")), "SECCOMP_FILTER_FLAG_TSYNC"));
        assertEquals(SeccompFlags.NEW_LISTENER, f.flags());
        assertEquals(1, f.warnings().size());
        assertEquals(
                SeccompFlags.TSYNC,
                oldKernel
                        .compile(withFlags(profile("SCMP_ACT_ALLOW"), "SECCOMP_FILTER_FLAG_TSYNC"))
                        .flags());
    }
}
