package org.jrunc.hooks;

import org.jrunc.JruncException;

/** A hook that could not be started, exited non-zero, or ran past its timeout. */
public final class HookException extends JruncException {
    private static final long serialVersionUID = 1L;

    public HookException(String message) {
        super(message);
    }
}
