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
import org.jrunc.sys.EffectiveIds;

/** `spec`: writes runc's template as BUNDLE/config.json, never over an existing file. */
public final class SpecFile {
    private SpecFile() {}

    public static void write(Path bundle, boolean rootless) {
        Path config = bundle.resolve("config.json");
        EffectiveIds ids = rootless ? EffectiveIds.current() : EffectiveIds.ROOT;
        String json = JsonWriter.pretty(SpecTemplate.create(rootless, ids.uid(), ids.gid())) + "\n";
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
}
