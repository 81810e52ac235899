package org.jrunc.sif;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs squashfs-tools' unsquashfs (tests only); tests are skipped when it is not installed. */
final class Unsquashfs {
    private Unsquashfs() {}

    private static Path binary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Paths.get(dir, "unsquashfs");
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        assumeTrue(false, "unsquashfs (squashfs-tools) is not installed");
        return null;
    }

    /** {@code unsquashfs [-o offset] <args> image}: the squashfs inside {@code image} starting at {@code offset}. */
    static String run(Path image, long offset, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(binary().toString(), "-o", Long.toString(offset)));
        cmd.addAll(List.of(args));
        cmd.add(image.toString());
        return exec(cmd);
    }

    /** {@code unsquashfs -cat image path}: one file's content. */
    static String cat(Path image, long offset, String path) throws IOException, InterruptedException {
        return exec(List.of(binary().toString(), "-o", Long.toString(offset), "-cat", image.toString(), path));
    }

    private static String exec(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("unsquashfs did not finish: " + cmd);
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new AssertionError("unsquashfs failed (" + p.exitValue() + "): " + cmd + "\n" + text);
        }
        return text;
    }
}
