package org.jrunc;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

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

    /** An I/O failure's reason in strerror's words: Java's own message of a file-system failure is often the path. */
    public static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "file exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        String reason = e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : reason;
    }
}
