package org.jrunc.cli;

import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.log.Trace;

/** The one place where a command's failure becomes runc's exit status 1 and a single logged error line. */
public final class Commands {
    private Commands() {}

    /** A command body returning its exit status. */
    public interface Body {
        int run();
    }

    public static int guard(GlobalOptions g, Body body) {
        try {
            Trace.mark("cli", "parsed");
            g.apply();
            return body.run();
        } catch (JruncException e) {
            Log.error(e.getMessage());
            return 1;
        } catch (RuntimeException e) {
            // a bug, not bad input: still one line, with the type to make it reportable
            Log.error("internal error: " + e);
            if (Log.isDebug()) {
                e.printStackTrace();
            }
            return 1;
        }
    }
}
