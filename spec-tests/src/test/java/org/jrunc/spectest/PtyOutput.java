package org.jrunc.spectest;

import java.nio.charset.StandardCharsets;
import org.jrunc.sys.Syscalls;

/** What a container writes to its terminal, read from the pty master a --console-socket received. */
final class PtyOutput {
    private PtyOutput() {}

    /** Reads {@code master} until the text holds {@code marker} or the terminal closes, then closes it. */
    static String readUntil(Syscalls sys, int master, String marker) {
        StringBuilder out = new StringBuilder();
        byte[] buf = new byte[4096];
        while (!out.toString().contains(marker)) {
            int n = sys.read(master, buf, 0, buf.length);
            if (n <= 0) {
                break;
            }
            out.append(new String(buf, 0, n, StandardCharsets.UTF_8));
        }
        sys.close(master);
        return out.toString();
    }
}
