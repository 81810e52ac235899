package org.jrunc.seccomp.libseccomp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SeccompFilterTest {
    private static final int EACCES = 13;
    private static final int EINVAL = 22;
    private static int x86_64;
    private static int x86;
    private static int x32;

    @BeforeAll
    static void x86Host() {
        x86_64 = ScmpArch.resolve("x86_64");
        x86 = ScmpArch.resolve("x86");
        x32 = ScmpArch.resolve("x32");
        // syscall numbers and pfc text below are x86's; the arch tokens are the kernel's AUDIT_ARCH values
        assumeTrue(ScmpArch.nativeArch() == x86_64, "x86_64 host");
    }

    @Test
    void versionAndApiLevel() {
        ScmpVersion v = ScmpVersion.current();
        assertEquals(2, v.major());
        assertTrue(v.minor() >= 5, v.toString());
        // kernel 6.x with libseccomp 2.5: everything up to TSYNC_ESRCH
        assertTrue(ScmpVersion.apiLevel() >= 6, "api " + ScmpVersion.apiLevel());
    }

    @Test
    void initAndRelease() {
        SeccompFilter f = SeccompFilter.create(ScmpAction.ALLOW);
        assertEquals(ScmpAction.ALLOW, f.getAttr(ScmpFilterAttr.ACT_DEFAULT));
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> f.addArch(x86));
    }

    @Test
    void initRejectsAnInvalidDefaultAction() {
        assertThrows(LibSeccompException.class, () -> SeccompFilter.create(0x00010000));
    }

    @Test
    void archTokensAreTheKernelsAuditArchValues() {
        assertEquals(0xc000003e, x86_64);
        assertEquals(0x40000003, x86);
        assertEquals(0x4000003e, x32);
        assertEquals(0xc00000b7, ScmpArch.resolve("aarch64"));
        assertEquals(0, ScmpArch.resolve("vax"));
    }

    @Test
    void multiArch() {
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.ALLOW)) {
            assertTrue(f.hasArch(x86_64));
            assertFalse(f.hasArch(x86));
            assertTrue(f.addArch(x86));
            assertTrue(f.addArch(x32));
            assertFalse(f.addArch(x86_64), "native is there from seccomp_init");
            assertTrue(f.hasArch(x86) && f.hasArch(x32));
            f.removeArch(x32);
            assertFalse(f.hasArch(x32));

            f.addArch(x32);
            f.addRule(ScmpAction.errno(1), ScmpSyscalls.resolve("getpid"));
            String pfc = f.exportPfc();
            assertTrue(pfc.contains("# filter for arch x86_64 (3221225534)"), pfc);
            assertTrue(pfc.contains("# filter for arch x86 (1073741827)"), pfc);
            assertTrue(pfc.contains("# filter for arch x32 (3221225534)"), pfc);
            // getpid is 39 on x86_64, 20 on x86, 39 | x32 bit on x32
            assertTrue(pfc.contains("if ($syscall == 39)"), pfc);
            assertTrue(pfc.contains("if ($syscall == 20)"), pfc);
            assertTrue(pfc.contains("if ($syscall == 1073741863)"), pfc);
        }
    }

    @Test
    void syscallNamesPerArch() {
        assertEquals(0, ScmpSyscalls.resolve("read"));
        assertEquals(0, ScmpSyscalls.resolve(x86_64, "read"));
        assertEquals(3, ScmpSyscalls.resolve(x86, "read"));
        assertEquals(0x40000000, ScmpSyscalls.resolve(x32, "read"));
        assertEquals(63, ScmpSyscalls.resolve(ScmpArch.resolve("aarch64"), "read"));
        assertEquals(102, ScmpSyscalls.resolve(x86, "socketcall"));
        assertTrue(ScmpSyscalls.resolve("socketcall") < ScmpSyscalls.NR_ERROR, "pseudo number on x86_64");
        assertEquals(ScmpSyscalls.NR_ERROR, ScmpSyscalls.resolve("no_such_syscall"));
        assertEquals(ScmpSyscalls.NR_ERROR, ScmpSyscalls.resolve(x86, "no_such_syscall"));
        assertEquals("mkdirat", ScmpSyscalls.name(x86_64, 258));
        assertEquals("mkdir", ScmpSyscalls.name(x86, 39));
    }

    @Test
    void ruleAddArrayWithEveryComparison() {
        // a 32-bit arch, so each comparison shows as one pfc line
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.ALLOW)) {
            f.addArch(x86);
            f.removeArch(x86_64);
            f.addRule(ScmpAction.errno(10), nr("dup"), ScmpArgCmp.of(0, ScmpCompare.NE, 5));
            f.addRule(ScmpAction.errno(11), nr("dup2"), ScmpArgCmp.of(0, ScmpCompare.LT, 5));
            f.addRule(ScmpAction.errno(12), nr("close"), ScmpArgCmp.of(0, ScmpCompare.LE, 5));
            f.addRule(ScmpAction.errno(13), nr("fchdir"), ScmpArgCmp.of(0, ScmpCompare.EQ, 5));
            f.addRule(ScmpAction.errno(14), nr("fsync"), ScmpArgCmp.of(0, ScmpCompare.GE, 5));
            f.addRule(ScmpAction.errno(15), nr("fdatasync"), ScmpArgCmp.of(0, ScmpCompare.GT, 5));
            f.addRule(ScmpAction.errno(16), nr("syncfs"), new ScmpArgCmp(0, ScmpCompare.MASKED_EQ, 0x0f, 4));
            f.addRule(
                    ScmpAction.errno(17),
                    nr("dup3"),
                    ScmpArgCmp.of(0, ScmpCompare.EQ, 1),
                    ScmpArgCmp.of(2, ScmpCompare.EQ, 0x80000));
            String pfc = f.exportPfc();
            // libseccomp prints NE, LT and LE as the opposite test with an empty "then"
            assertBranch(pfc, "dup", "if ($syscall == 41)\nif ($a0 == 5)\nelse\naction ERRNO(10);");
            assertBranch(pfc, "dup2", "if ($syscall == 63)\nif ($a0 >= 5)\nelse\naction ERRNO(11);");
            assertBranch(pfc, "close", "if ($syscall == 6)\nif ($a0 > 5)\nelse\naction ERRNO(12);");
            assertBranch(pfc, "fchdir", "if ($syscall == 133)\nif ($a0 == 5)\naction ERRNO(13);");
            assertBranch(pfc, "fsync", "if ($syscall == 118)\nif ($a0 >= 5)\naction ERRNO(14);");
            assertBranch(pfc, "fdatasync", "if ($syscall == 148)\nif ($a0 > 5)\naction ERRNO(15);");
            assertBranch(pfc, "syncfs", "if ($syscall == 344)\nif ($a0 & 0x0000000f == 4)\naction ERRNO(16);");
            assertTrue(pfc.contains("if ($a0 == 1)") && pfc.contains("if ($a2 == 524288)"), pfc);
        }
    }

    @Test
    void ruleArgsAreUint64OnA64BitArch() {
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.ALLOW)) {
            f.addRule(
                    ScmpAction.errno(1),
                    nr("dup"),
                    new ScmpArgCmp(1, ScmpCompare.MASKED_EQ, 0xff00000000L, 0x1200000000L));
            String pfc = f.exportPfc();
            assertTrue(pfc.contains("if ($a1.hi32 & 0x000000ff == 18)"), pfc);
            assertTrue(pfc.contains("if ($a1.lo32 & 0x00000000 == 0)"), pfc);
        }
    }

    @Test
    void ruleErrorsCarryTheErrno() {
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.errno(1))) {
            LibSeccompException same =
                    assertThrows(LibSeccompException.class, () -> f.addRule(ScmpAction.errno(1), nr("getpid")));
            assertEquals(EACCES, same.errno(), "an action equal to the default is refused");
            LibSeccompException twice = assertThrows(
                    LibSeccompException.class,
                    () -> f.addRule(
                            ScmpAction.ALLOW,
                            nr("dup"),
                            ScmpArgCmp.of(0, ScmpCompare.EQ, 1),
                            ScmpArgCmp.of(0, ScmpCompare.EQ, 2)));
            assertEquals(EINVAL, twice.errno(), "two comparisons of one argument in one rule");
            assertTrue(twice.getMessage().startsWith("libseccomp seccomp_rule_add_array"), twice.getMessage());
        }
    }

    @Test
    void attributes() {
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.ALLOW)) {
            assertEquals(ScmpAction.KILL_THREAD, f.getAttr(ScmpFilterAttr.ACT_BADARCH));
            f.setAttr(ScmpFilterAttr.ACT_BADARCH, ScmpAction.errno(38));
            assertEquals(ScmpAction.errno(38), f.getAttr(ScmpFilterAttr.ACT_BADARCH));
            assertTrue(f.exportPfc().contains("# invalid architecture action\naction ERRNO(38);"));
        }
    }

    @Test
    void exportPfcText() {
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.KILL_PROCESS)) {
            f.addRule(ScmpAction.ALLOW, nr("read"));
            f.addRule(ScmpAction.trace(7), nr("getpid"));
            f.addRule(ScmpAction.LOG, nr("getppid"));
            f.addRule(ScmpAction.NOTIFY, nr("mkdirat"));
            f.addRule(ScmpAction.TRAP, nr("uname"));
            f.addRule(ScmpAction.KILL_THREAD, nr("ptrace"));
            String pfc = f.exportPfc();
            assertTrue(pfc.startsWith("#\n# pseudo filter code start\n#\n"), pfc);
            assertTrue(pfc.endsWith("#\n# pseudo filter code end\n#\n"), pfc);
            assertBranch(pfc, "read", "if ($syscall == 0)\naction ALLOW;");
            assertBranch(pfc, "getpid", "if ($syscall == 39)\naction TRACE(7);");
            assertBranch(pfc, "getppid", "if ($syscall == 110)\naction LOG;");
            // the 2.5 pfc printer has no name for NOTIFY and prints the value
            assertBranch(pfc, "mkdirat", "if ($syscall == 258)\naction 0x7fc00000;");
            assertBranch(pfc, "uname", "if ($syscall == 63)\naction TRAP;");
            assertBranch(pfc, "ptrace", "if ($syscall == 101)\naction KILL;");
            assertTrue(pfc.contains("# default action\n  action KILL_PROCESS;"), pfc);
        }
    }

    @Test
    void exportBpfIsAnArrayOfSockFilter() {
        try (SeccompFilter f = SeccompFilter.create(ScmpAction.errno(1))) {
            f.addArch(x86);
            f.addRule(ScmpAction.ALLOW, nr("read"));
            byte[] bpf = f.exportBpf();
            assertTrue(bpf.length > 0);
            assertEquals(0, bpf.length % 8);
            ByteBuffer b = ByteBuffer.wrap(bpf).order(ByteOrder.nativeOrder());
            // the program starts by loading seccomp_data.arch (ld [4]) and ends with a return
            assertEquals(0x20, b.getShort(0));
            assertEquals(4, b.getInt(4));
            assertEquals(0x06, b.getShort(bpf.length - 8));
        }
    }

    private static int nr(String name) {
        return ScmpSyscalls.resolve(name);
    }

    /** The lines after the "# filter for syscall" comment, compared without their indentation. */
    private static void assertBranch(String pfc, String syscall, String body) {
        int at = pfc.indexOf("# filter for syscall \"" + syscall + "\"");
        assertTrue(at >= 0, syscall + " missing in\n" + pfc);
        String[] expected = body.split("\n");
        String[] actual = pfc.substring(pfc.indexOf('\n', at) + 1).split("\n");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i].trim(), syscall + " line " + i + " in\n" + pfc);
        }
    }
}
