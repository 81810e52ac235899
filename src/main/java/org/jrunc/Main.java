package org.jrunc;

import org.jrunc.cli.FastPath;
import org.jrunc.cli.JruncCli;
import org.jrunc.log.Trace;
import org.jrunc.process.ForcedSafepoints;

/**
 * The jrunc command. The hot commands (state, start, kill, delete) are dispatched without picocli; everything else,
 * and every unusual form of those, goes through the picocli command tree in {@code org.jrunc.cli}.
 */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        // test-only: JRUNC_JAVA_OPTS=-Djrunc.test.forceSafepoints=true makes this JVM as hostile to fork as it gets
        if (Boolean.getBoolean(ForcedSafepoints.PROPERTY)) {
            ForcedSafepoints.start();
        }
        Trace.mark("cli", "main");
        int code = FastPath.tryRun(args);
        if (code == FastPath.NOT_HANDLED) {
            code = JruncCli.run(args);
        }
        Trace.mark("cli", "done");
        System.out.flush();
        System.err.flush();
        // halt, not exit: nothing needs shutdown hooks, and exit's logging of the call loads java.util.logging glue
        Runtime.getRuntime().halt(code);
    }
}
