package org.jrunc.namespaces;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.config.IdMapping;

/** Writes /proc/PID/uid_map and gid_map, each in the single write(2) the kernel requires. */
public final class IdMaps {
    private IdMaps() {}

    public static void write(int pid, List<IdMapping> uids, List<IdMapping> gids) {
        writeMap(pid, "uid_map", uids);
        writeMap(pid, "gid_map", gids);
    }

    private static void writeMap(int pid, String file, List<IdMapping> map) {
        if (map == null || map.isEmpty()) {
            throw new JruncException("a new user namespace needs linux.uidMappings and linux.gidMappings");
        }
        StringBuilder b = new StringBuilder();
        for (IdMapping m : map) {
            b.append(m.containerID())
                    .append(' ')
                    .append(m.hostID())
                    .append(' ')
                    .append(m.size())
                    .append('\n');
        }
        try {
            Files.write(Path.of("/proc/" + pid + "/" + file), b.toString().getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new JruncException(
                    "writing " + file + " (" + b.toString().trim().replace('\n', ',') + "): " + e.getMessage());
        }
    }
}
