package org.jrunc.sif;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.jrunc.JruncException;

/**
 * A SIF image that cannot be read, written or trusted. The message is always one line of the form
 * {@code <file>: <what is wrong>}, because the CLI prints it as-is and containerd-style callers log it on one line.
 */
public class SifException extends JruncException {
    private static final long serialVersionUID = 1L;

    public SifException(String file, String detail) {
        super(oneLine(file + ": " + detail));
    }

    public SifException(String file, String detail, Throwable cause) {
        super(oneLine(file + ": " + detail), cause);
    }

    /** An I/O failure on {@code file} while doing {@code action} (e.g. "cannot read descriptor table"). */
    static SifException io(String file, String action, IOException e) {
        return new SifException(file, action + ": " + describe(e), e);
    }

    /** Java's IOException messages are often just a path; say what kind of failure it was instead. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
    }

    /** File names and JSON parser messages may contain line breaks of any kind; none may break the line. */
    static String oneLine(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(breaksLine(c) ? ' ' : c);
        }
        return sb.toString();
    }

    static boolean breaksLine(char c) {
        int type = Character.getType(c);
        return Character.isISOControl(c) || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR;
    }
}
