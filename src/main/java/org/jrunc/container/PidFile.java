package org.jrunc.container;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.jrunc.JruncException;

/** --pid-file: the pid in decimal without a newline, written to a temp file beside it and renamed into place. */
public final class PidFile {
    private PidFile() {}

    public static void write(String file, int pid) {
        Path target = Path.of(file).toAbsolutePath();
        Path tmp = target.resolveSibling("." + target.getFileName());
        try {
            Files.deleteIfExists(tmp);
            Files.write(
                    tmp,
                    Integer.toString(pid).getBytes(StandardCharsets.US_ASCII),
                    StandardOpenOption.CREATE_NEW,
                    StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new JruncException("cannot write pid file " + target + ": " + e.getMessage());
        }
    }
}
