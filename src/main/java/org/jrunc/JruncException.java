package org.jrunc;

/**
 * A failure reported to the user as one line on stderr (and as a JSON "error" entry with --log-format json).
 * Messages keep runc's wording where callers (containerd, podman) match on substrings.
 */
public class JruncException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JruncException(String message) {
        super(message);
    }

    public JruncException(String message, Throwable cause) {
        super(message, cause);
    }
}
