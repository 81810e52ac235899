package org.jrunc.spectest.e2e;

import java.util.List;
import java.util.Map;
import org.jrunc.spectest.Jrunc;

/** Runs a client that insists on a terminal (ctr --tty, podman exec -it) under script(1), which gives it a pty. */
final class WithTerminal {
    private WithTerminal() {}

    /** script -e returns the command's exit status; the output includes what the pty echoed. */
    static Jrunc.Result run(List<String> cmd, Map<String, String> env) {
        String line = String.join(
                " ", cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
        return Jrunc.raw(List.of("script", "-qec", line, "/dev/null"), env, null, 120);
    }
}
