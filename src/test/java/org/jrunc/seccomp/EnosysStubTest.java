package org.jrunc.seccomp;

import static org.jrunc.seccomp.Profiles.AUDIT_AARCH64;
import static org.jrunc.seccomp.Profiles.AUDIT_I386;
import static org.jrunc.seccomp.Profiles.AUDIT_X86_64;
import static org.jrunc.seccomp.Profiles.X32_BIT;
import static org.jrunc.seccomp.Profiles.profile;
import static org.jrunc.seccomp.Profiles.rule;
import static org.jrunc.seccomp.Profiles.withArchs;
import static org.jrunc.seccomp.Profiles.withDefaultErrno;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.Seccomp;
import org.jrunc.seccomp.libseccomp.ScmpAction;
import org.jrunc.seccomp.libseccomp.ScmpArch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The -ENOSYS stub, run through the BPF interpreter together with the libseccomp program behind it. */
class EnosysStubTest {
    private static final int EPERM = ScmpAction.errno(1);
    private static final int ENOSYS = ScmpAction.errno(38);
    private static final int AUDIT_S390X = 0x80000016;
    /** x86_64: read 0, write 1, getpid 39; highest named is 39. */
    private static final Seccomp ALLOWLIST =
            profile("SCMP_ACT_ERRNO", rule("SCMP_ACT_ALLOW", "read", "write", "getpid"));

    private final SeccompCompiler compiler = new SeccompCompiler();

    @BeforeAll
    static void x86Host() {
        assumeTrue(ScmpArch.nativeArch() == ScmpArch.resolve("x86_64"), "x86_64 host");
    }

    @Test
    void syscallsAboveTheHighestNamedOneGetEnosys() {
        byte[] p = compiler.compile(ALLOWLIST).program();
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(p, AUDIT_X86_64, 39));
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(p, AUDIT_X86_64, 0));
        assertEquals(EPERM, BpfInterpreter.run(p, AUDIT_X86_64, 38), "known to the profile's era: default action");
        assertEquals(ENOSYS, BpfInterpreter.run(p, AUDIT_X86_64, 40));
        assertEquals(ENOSYS, BpfInterpreter.run(p, AUDIT_X86_64, 435), "clone3");
        assertEquals(ScmpAction.KILL_THREAD, BpfInterpreter.run(p, AUDIT_AARCH64, 1000), "bad arch stays bad arch");
    }

    @Test
    void x32CallsAreLeftToTheFilterUnlessX32IsInIt() {
        byte[] without = compiler.compile(ALLOWLIST).program();
        assertNotEquals(ENOSYS, BpfInterpreter.run(without, AUDIT_X86_64, X32_BIT | 500));

        byte[] with = compiler.compile(withArchs(ALLOWLIST, "SCMP_ARCH_X86_64", "SCMP_ARCH_X32", "SCMP_ARCH_X86"))
                .program();
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(with, AUDIT_X86_64, X32_BIT | 39));
        assertEquals(EPERM, BpfInterpreter.run(with, AUDIT_X86_64, X32_BIT | 38));
        assertEquals(ENOSYS, BpfInterpreter.run(with, AUDIT_X86_64, X32_BIT | 500));
        assertEquals(ENOSYS, BpfInterpreter.run(with, AUDIT_X86_64, 500));
        // x86: read 3, write 4, getpid 20
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(with, AUDIT_I386, 20));
        assertEquals(EPERM, BpfInterpreter.run(with, AUDIT_I386, 1));
        assertEquals(ENOSYS, BpfInterpreter.run(with, AUDIT_I386, 21));
    }

    @Test
    void s390xMultiplexerGetsEnosys() {
        // libseccomp cannot put big-endian s390x in this host's filter, so run the stub alone, followed by "ret ALLOW"
        int s390x = ScmpArch.resolve("s390x");
        byte[] stub = EnosysStub.generate(List.of(s390x), List.of("read", "write", "getpid"));
        byte[] p = Arrays.copyOf(stub, stub.length + 8);
        ByteBuffer.wrap(p)
                .order(ByteOrder.nativeOrder())
                .putShort(stub.length, (short) 0x06)
                .putInt(stub.length + 4, ScmpAction.ALLOW);
        // s390x: read 3, write 4, getpid 20; 0 is the multiplexer an unknown syscall number ends up as
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(p, AUDIT_S390X, 3));
        assertEquals(ENOSYS, BpfInterpreter.run(p, AUDIT_S390X, 0));
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(p, AUDIT_S390X, 1));
        assertEquals(ENOSYS, BpfInterpreter.run(p, AUDIT_S390X, 21));
        assertEquals(ScmpAction.ALLOW, BpfInterpreter.run(p, AUDIT_X86_64, 1000), "other arches fall through");
    }

    @Test
    void architectureOfTheOtherByteOrderIsAConfigError() {
        ConfigException e = assertThrows(
                ConfigException.class,
                () -> compiler.compile(withArchs(ALLOWLIST, "SCMP_ARCH_X86", "SCMP_ARCH_S390X")));
        assertEquals(
                "config.json: field linux.seccomp.architectures[1]: cannot add SCMP_ARCH_S390X: its byte order "
                        + "differs from the native architecture's",
                e.getMessage());
    }

    @Test
    void killDefaultGetsAStubToo() {
        byte[] p = compiler.compile(profile("SCMP_ACT_KILL_PROCESS", rule("SCMP_ACT_ALLOW", "getpid")))
                .program();
        assertEquals(ScmpAction.KILL_PROCESS, BpfInterpreter.run(p, AUDIT_X86_64, 1));
        assertEquals(ENOSYS, BpfInterpreter.run(p, AUDIT_X86_64, 1000));
    }

    @ParameterizedTest
    @ValueSource(strings = {"SCMP_ACT_ALLOW", "SCMP_ACT_LOG", "SCMP_ACT_TRACE"})
    void noStubForPermissiveDefaults(String defaultAction) {
        Seccomp p = profile(defaultAction, rule("SCMP_ACT_ERRNO", "getpid"));
        CompiledFilter f = compiler.compile(p);
        assertNotEquals(ENOSYS, BpfInterpreter.run(f.program(), AUDIT_X86_64, 1000));
        assertEquals(libseccompOnlyLength(p), f.program().length);
    }

    @Test
    void noStubWhenTheDefaultIsAlreadyEnosys() {
        Seccomp p = withDefaultErrno(ALLOWLIST, 38L);
        assertEquals(libseccompOnlyLength(p), compiler.compile(p).program().length);
        Seccomp other = withDefaultErrno(ALLOWLIST, 37L);
        assertTrue(compiler.compile(other).program().length > libseccompOnlyLength(other));
    }

    @Test
    void noStubWithoutAnyNamedSyscall() {
        Seccomp p = profile("SCMP_ACT_ERRNO");
        assertEquals(libseccompOnlyLength(p), compiler.compile(p).program().length);
    }

    private static int libseccompOnlyLength(Seccomp p) {
        try (LibseccompFilters.Built b = LibseccompFilters.build(p, new ArrayList<>())) {
            return b.filter().exportBpf().length;
        }
    }
}
