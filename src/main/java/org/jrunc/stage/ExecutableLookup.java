package org.jrunc.stage;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;

/** execvp's search, done before the container starts so a missing binary is a create-time error (as in runc). */
final class ExecutableLookup {
    private ExecutableLookup() {}

    static String resolve(String name, List<String> env, String cwd) {
        if (name.contains("/")) {
            Path p = name.startsWith("/") ? Path.of(name) : Path.of(cwd).resolve(name);
            check(p, name);
            return p.toString();
        }
        String path = "";
        for (String e : env) {
            if (e.startsWith("PATH=")) {
                path = e.substring(5);
            }
        }
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path candidate = Path.of(dir).resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new JruncException("exec: \"" + name + "\": executable file not found in $PATH");
    }

    private static void check(Path p, String name) {
        if (!Files.exists(p)) {
            throw new JruncException("exec: \"" + name + "\": stat " + name + ": no such file or directory");
        }
        if (Files.isDirectory(p)) {
            throw new JruncException("exec: \"" + name + "\": is a directory");
        }
        if (!Files.isExecutable(p)) {
            throw new JruncException("exec: \"" + name + "\": permission denied");
        }
    }
}
