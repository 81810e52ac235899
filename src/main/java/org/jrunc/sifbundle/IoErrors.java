package org.jrunc.sifbundle;

import java.io.IOException;
import java.nio.file.Path;
import org.jrunc.JruncException;

/** File-system failures as one line naming the action and the path; Java's own messages are often just the path. */
final class IoErrors {
    private IoErrors() {}

    static JruncException failure(String action, Path file, IOException e) {
        return new JruncException(action + " " + Shown.of(file) + ": " + Shown.of(JruncException.reason(e)));
    }
}
