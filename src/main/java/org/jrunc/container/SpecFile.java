package org.jrunc.container;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jrunc.JruncException;
import org.jrunc.config.SpecTemplate;
import org.jrunc.json.JsonWriter;
import org.jrunc.sys.KernelFiles;

/** `spec`: writes runc's template as BUNDLE/config.json, never over an existing file. */
public final class SpecFile {
    private SpecFile() {}

    public static void write(Path bundle, boolean rootless) {
        Path config = bundle.resolve("config.json");
        long[] ids = rootless ? effectiveIds() : new long[] {0, 0};
        String json = JsonWriter.pretty(SpecTemplate.create(rootless, ids[0], ids[1])) + "\n";
        try {
            // CREATE_NEW: a file that appears between a check and the write is not overwritten either
            Files.writeString(config, json, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            throw new JruncException("File " + config + " exists. Remove it first");
        } catch (NoSuchFileException e) {
            throw new JruncException("cannot write " + config + ": the bundle directory " + bundle + " does not exist");
        } catch (IOException e) {
            throw new JruncException("cannot write " + config + ": " + e.getMessage());
        }
    }

    /** The caller's effective uid and gid, from the second fields of the Uid: and Gid: lines of /proc/self/status. */
    private static long[] effectiveIds() {
        long[] ids = new long[2];
        try {
            for (String line : KernelFiles.read(Path.of("/proc/self/status")).split("\n")) {
                if (line.startsWith("Uid:")) {
                    ids[0] = Long.parseLong(line.split("\\s+")[2]);
                } else if (line.startsWith("Gid:")) {
                    ids[1] = Long.parseLong(line.split("\\s+")[2]);
                }
            }
        } catch (IOException e) {
            throw new JruncException("cannot read /proc/self/status: " + e.getMessage());
        }
        return ids;
    }
}
