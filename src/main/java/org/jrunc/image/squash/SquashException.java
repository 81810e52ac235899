package org.jrunc.image.squash;

import org.jrunc.JruncException;
import org.jrunc.sif.OciDigest;

/**
 * A layer that cannot be squashed (unreadable, hostile, inconsistent) or a squashfs that cannot be built. The message
 * is one line: {@code layer <digest>: entry <name>: <what is wrong>}, the entry's name escaped so that a hostile name
 * cannot break or forge the line.
 */
public class SquashException extends JruncException {
    private static final long serialVersionUID = 1L;

    public SquashException(String message) {
        super(message);
    }

    public SquashException(String message, Throwable cause) {
        super(message, cause);
    }

    static SquashException inLayer(OciDigest layer, String detail) {
        return new SquashException("layer " + layer + ": " + detail);
    }

    static SquashException inLayer(OciDigest layer, String detail, Throwable cause) {
        return new SquashException("layer " + layer + ": " + detail, cause);
    }

    static SquashException atEntry(OciDigest layer, String entry, String detail) {
        return new SquashException("layer " + layer + ": entry " + quote(entry) + ": " + detail);
    }

    static SquashException atEntry(OciDigest layer, String entry, String detail, Throwable cause) {
        return new SquashException("layer " + layer + ": entry " + quote(entry) + ": " + detail, cause);
    }

    /** A name in double quotes, with quotes, backslashes and control characters escaped as Go's %q does. */
    static String quote(String name) {
        StringBuilder sb = new StringBuilder(name.length() + 2).append('"');
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (Character.isISOControl(c)
                    || Character.getType(c) == Character.LINE_SEPARATOR
                    || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }
}
