package org.jrunc.seccomp;

import static org.jrunc.seccomp.Profiles.profile;
import static org.jrunc.seccomp.Profiles.rule;
import static org.jrunc.seccomp.Profiles.withDefaultErrno;
import static org.jrunc.seccomp.Profiles.withFlags;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jrunc.config.Seccomp;
import org.jrunc.config.SeccompSyscall;
import org.jrunc.seccomp.libseccomp.ScmpArch;
import org.jrunc.seccomp.libseccomp.ScmpSyscalls;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Installs compiled filters for real, in child JVMs running {@link SeccompChild}. */
class SeccompInstallTest {
    private static final int EXIT_SIGSYS = 128 + 31;

    @TempDir
    Path dir;

    private final SeccompCompiler compiler = new SeccompCompiler();

    @BeforeAll
    static void x86Host() {
        assumeTrue(ScmpArch.nativeArch() == ScmpArch.resolve("x86_64"), "x86_64 host");
    }

    private record Result(int exit, String stdout, String stderr) {}

    @Test
    void errnoRetIsWhatTheSyscallFailsWith() throws Exception {
        Result r = runChild(
                profile("SCMP_ACT_ALLOW", Profiles.errnoRule("SCMP_ACT_ERRNO", 38, "mkdirat", "mkdir")),
                "mkdirat",
                "openat2");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("listener=false mkdirat=38 openat2=0", r.stdout());
        assertTrue(Files.notExists(dir.resolve("made-by-child")));
    }

    @Test
    void errnoWithoutErrnoRetIsEperm() throws Exception {
        Result r = runChild(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_ERRNO", "mkdirat")), "mkdirat");
        assertEquals("listener=false mkdirat=1", r.stdout(), r.stderr());
    }

    @Test
    void killProcessKillsWithSigsys() throws Exception {
        Result r = runChild(profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_KILL_PROCESS", "mkdirat")), "mkdirat");
        assertEquals(EXIT_SIGSYS, r.exit(), r.stdout() + r.stderr());
        assertEquals("", r.stdout());
    }

    @Test
    void notifyWithEveryFlagGivesAListener() throws Exception {
        Seccomp p = withFlags(
                profile("SCMP_ACT_ALLOW", rule("SCMP_ACT_NOTIFY", "mkdirat")),
                "SECCOMP_FILTER_FLAG_TSYNC",
                "SECCOMP_FILTER_FLAG_LOG",
                "SECCOMP_FILTER_FLAG_SPEC_ALLOW",
                "SECCOMP_FILTER_FLAG_WAIT_KILLABLE_RECV");
        Result r = runChild(p, "openat2");
        assertEquals(0, r.exit(), r.stderr());
        assertEquals("listener=true openat2=0", r.stdout());
    }

    /**
     * A deny-by-default profile allowing every x86_64 syscall below 300 except mkdirat: mkdirat gets the default
     * errno, and openat2 (437), newer than anything the profile names, gets ENOSYS from the stub. Also shows that the
     * kernel accepts the stub in front of libseccomp's program.
     */
    @Test
    void enosysStubInTheKernel() throws Exception {
        int x86_64 = ScmpArch.nativeArch();
        List<String> allowed = new ArrayList<>();
        for (int nr = 0; nr < 300; nr++) {
            String name = ScmpSyscalls.name(x86_64, nr);
            if (name != null && !name.equals("mkdirat")) {
                allowed.add(name);
            }
        }
        Seccomp p = withDefaultErrno(
                profile("SCMP_ACT_ERRNO", new SeccompSyscall(allowed, "SCMP_ACT_ALLOW", null, null)), 13L);
        Result r = runChild(p, "mkdirat", "openat2");
        assertEquals("listener=false mkdirat=13 openat2=38", r.stdout(), r.stderr());
    }

    private Result runChild(Seccomp profile, String... probes) throws IOException, InterruptedException {
        CompiledFilter f = compiler.compile(profile);
        assertEquals(List.of(), f.warnings());
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        if (Runtime.version().feature() >= 22) {
            cmd.add("--enable-native-access=ALL-UNNAMED");
        }
        cmd.addAll(List.of(
                "-Xshare:auto",
                "-cp",
                System.getProperty("java.class.path"),
                SeccompChild.class.getName(),
                Integer.toString(f.flags()),
                Base64.getEncoder().encodeToString(f.program()),
                dir.toString()));
        cmd.addAll(List.of(probes));
        Path stdout = dir.resolve("stdout");
        Path stderr = dir.resolve("stderr");
        // the scratch dir as cwd, so a SIGSYS core dump (if the host writes them) lands there
        Process p = new ProcessBuilder(cmd)
                .directory(dir.toFile())
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile())
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM hung: " + Files.readString(stderr));
        }
        return new Result(
                p.exitValue(),
                Files.readString(stdout, StandardCharsets.UTF_8).strip(),
                Files.readString(stderr, StandardCharsets.UTF_8));
    }
}
