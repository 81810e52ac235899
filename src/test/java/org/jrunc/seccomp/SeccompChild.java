package org.jrunc.seccomp;

import java.util.Base64;
import org.jrunc.sys.Flags;
import org.jrunc.sys.LinuxSyscalls;
import org.jrunc.sys.Prctl;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/**
 * Run in a child JVM by {@link SeccompInstallTest}: installs a compiled filter on its main thread, as the container
 * init does, then makes a few syscalls and prints one line, e.g. "listener=false mkdirat=38 openat2=0" (0 for
 * success, else the errno).
 *
 * <p>Arguments: seccomp(2) flags, the program in base64, a scratch directory, then the probes to run: "mkdirat",
 * "openat2". Everything needed after the install is loaded before it (no lambdas or string concatenation, whose
 * bootstrap would run filtered), and the JVM leaves with halt, which skips the shutdown machinery.
 */
public final class SeccompChild {
    private SeccompChild() {}

    public static void main(String[] args) {
        int flags = Integer.parseInt(args[0]);
        byte[] program = Base64.getDecoder().decode(args[1]);
        String target = new StringBuilder(args[2]).append("/made-by-child").toString();
        Syscalls sys = LinuxSyscalls.get();
        StringBuilder out = new StringBuilder();
        errnoOf(sys, "warm-up", target);

        sys.prctl(Prctl.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
        int listener = sys.seccompSetFilter(flags, program);

        out.append("listener=").append(listener > 0);
        for (int i = 3; i < args.length; i++) {
            out.append(' ').append(args[i]).append('=').append(errnoOf(sys, args[i], target));
        }
        System.out.println(out);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static int errnoOf(Syscalls sys, String probe, String target) {
        try {
            if (probe.equals("mkdirat")) {
                sys.mkdirat(Flags.AT_FDCWD, target, 0700);
            } else if (probe.equals("openat2")) {
                sys.close(sys.openat2(Flags.AT_FDCWD, "/", Flags.O_PATH, 0, 0));
            } else {
                // the warm-up: makes the exception path loaded and ready
                throw new SyscallException(probe, target, 0);
            }
            return 0;
        } catch (SyscallException e) {
            return e.errno();
        }
    }
}
