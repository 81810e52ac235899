package org.jrunc.sifbundle;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.jrunc.JruncException;
import org.jrunc.sys.EffectiveIds;
import org.jrunc.sys.HostPath;

/**
 * {@link FuseTools} by running the programs. They daemonize once the mount is in place, so their exit status says
 * whether it worked; stderr goes to a temporary file because the daemon may keep a pipe open.
 */
final class FuseCommands implements FuseTools {
    private static final long TIMEOUT_SECONDS = 60;
    /** fuse3's name first, then fuse2's (or fuse3's compatibility link), as Singularity looks for it. */
    private static final List<String> FUSERMOUNT = List.of("fusermount3", "fusermount");

    private final Path device;

    FuseCommands() {
        this(Path.of("/dev/fuse"));
    }

    FuseCommands(Path device) {
        this.device = device;
    }

    @Override
    public void check() {
        // access(2) with the caller's ids: libfuse opens the device as the caller before it asks fusermount3 to mount
        if (!Files.exists(device)) {
            throw new JruncException(device + " does not exist; squashfuse and fuse-overlayfs need it"
                    + " (load the fuse kernel module)");
        }
        if (!Files.isReadable(device) || !Files.isWritable(device)) {
            throw new JruncException(
                    device + ": permission denied; squashfuse and fuse-overlayfs need to read and write it");
        }
        find("squashfuse");
        find("fuse-overlayfs");
        fusermount();
    }

    @Override
    public void mountSquashfs(Path image, long offset, Path target, Optional<EffectiveIds> owner) {
        String ids = owner.map(o -> "uid=" + o.uid() + ",gid=" + o.gid() + ",").orElse("");
        run(find("squashfuse"), "-o", ids + "ro,offset=" + offset, image.toString(), target.toString());
    }

    @Override
    public void mountOverlay(List<Path> lowers, Path upper, Path work, Path target) {
        String lower = lowers.stream().map(Path::toString).collect(Collectors.joining(":"));
        run(
                find("fuse-overlayfs"),
                "-o",
                "lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work,
                target.toString());
    }

    @Override
    public void unmount(Path target) {
        run(fusermount(), "-u", target.toString());
    }

    private static Path fusermount() {
        for (String name : FUSERMOUNT) {
            Optional<Path> tool = HostPath.find(name);
            if (tool.isPresent()) {
                return tool.get();
            }
        }
        throw notFound(String.join(" or ", FUSERMOUNT));
    }

    private static void run(Path program, String... args) {
        String tool = program.getFileName().toString();
        List<String> cmd = new ArrayList<>();
        cmd.add(program.toString());
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
        return HostPath.find(tool).orElseThrow(() -> notFound(tool));
    }

    private static JruncException notFound(String tool) {
        return new JruncException(tool + " not found on PATH; jrunc mount needs it when not root, without loop"
                + " devices or with --squashfuse (install squashfuse, fuse-overlayfs and fuse3)");
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
