package org.jrunc.sifbundle;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jrunc.JruncException;

/**
 * {@link FuseTools} by running the programs. They daemonize once the mount is in place, so their exit status says
 * whether it worked; stderr goes to a temporary file because the daemon may keep a pipe open.
 */
final class FuseCommands implements FuseTools {
    private static final long TIMEOUT_SECONDS = 60;

    @Override
    public void check() {
        for (String tool : List.of("squashfuse", "fuse-overlayfs", "fusermount")) {
            find(tool);
        }
    }

    @Override
    public void mountSquashfs(Path image, long offset, Path target) {
        // no uid/gid options: files keep the owners recorded in the image, as with the kernel squashfs driver
        run("squashfuse", "-o", "ro,offset=" + offset, image.toString(), target.toString());
    }

    @Override
    public void mountOverlay(List<Path> lowers, Path upper, Path work, Path target) {
        String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
        run("fuse-overlayfs", "-o", "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, target.toString());
    }

    @Override
    public void unmount(Path target) {
        run("fusermount", "-u", target.toString());
    }

    private void run(String tool, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(find(tool).toString());
        cmd.addAll(List.of(args));
        Path err = null;
        try {
            err = Files.createTempFile("jrunc-fuse", ".err");
            Process p = new ProcessBuilder(cmd)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(err.toFile())
                    .start();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new JruncException(
                        tool + " " + Shown.of(String.join(" ", args)) + ": no answer after " + TIMEOUT_SECONDS + " s");
            }
            if (p.exitValue() != 0) {
                String message =
                        Files.readString(err, StandardCharsets.UTF_8).strip().replace('\n', ' ');
                throw new JruncException(tool + " " + Shown.of(String.join(" ", args)) + " failed (exit "
                        + p.exitValue() + ")" + (message.isEmpty() ? "" : ": " + Shown.of(message)));
            }
        } catch (IOException e) {
            throw new JruncException("cannot run " + tool + ": " + Shown.of(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException(tool + " interrupted");
        } finally {
            deleteQuietly(err);
        }
    }

    private static Path find(String tool) {
        String path = System.getenv("PATH");
        for (String dir : (path == null ? "/usr/sbin:/usr/bin:/sbin:/bin" : path).split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new JruncException(tool + " not found on PATH; it is needed to mount without loop devices"
                + " (install squashfuse and fuse-overlayfs)");
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                // a temporary file
            }
        }
    }
}
