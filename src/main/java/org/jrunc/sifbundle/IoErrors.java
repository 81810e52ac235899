package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.jrunc.JruncException;

/** File-system failures as one line naming the action and the path; Java's own messages are often just the path. */
final class IoErrors {
    private IoErrors() {}

    static JruncException failure(String action, Path file, IOException e) {
        return new JruncException(action + " " + Shown.of(file) + ": " + reason(e));
    }

    private static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        if (e instanceof DirectoryNotEmptyException) {
            return "directory not empty";
        }
        String reason = e.getMessage();
        return reason == null ? e.getClass().getSimpleName() : Shown.of(reason);
    }
}
