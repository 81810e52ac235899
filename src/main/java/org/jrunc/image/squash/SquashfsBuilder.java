package org.jrunc.image.squash;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sys.HostPath;

/**
 * A squashfs image made from a tar stream by squashfs-tools-ng's {@code tar2sqfs}, as Singularity makes an OCI-SIF's
 * layer: gzip, 128 KiB blocks, xattrs kept, a root directory 0755 owned by 0:0 with mtime 0, and parents the tar
 * leaves out the same.
 *
 * <p>Why tar2sqfs and not squashfs-tools' {@code sqfstar} (4.5.1): on a 397 MB tar (a JDK and /usr/share/doc, 5919
 * entries) on 2 cores, tar2sqfs {@code -j 2} took 11.3 s (20.8 s CPU, 8 MB resident) and gave the same sha256 on every
 * run, with 1 or 2 jobs; {@code sqfstar -mkfs-time 0 -root-time 0 -root-uid 0 -root-gid 0 -root-mode 0755} took
 * 11.6-20 s (21 s CPU, 430 MB resident) and gave a different sha256 on each of 8 runs, with {@code -processors 1} and
 * with every parent directory in the tar. The layer digest must be reproducible, so sqfstar is out. Both keep xattrs.
 *
 * <p>The tar is written into the tool's stdin on the calling thread; its stderr is kept (the last 4 KiB) for the one
 * line of a failure. The image is written to a temporary name beside {@code target} and renamed into place only when
 * the tool succeeded; on any failure (the producer throwing included) the tool is killed and nothing is left.
 */
public final class SquashfsBuilder {
    static final String TOOL = "tar2sqfs";
    private static final int STDERR_TAIL = 4096;

    private SquashfsBuilder() {}

    /** The squashfs tool, refused in one line when missing: a pull checks before it downloads anything. */
    public static Path tool() {
        return HostPath.find(TOOL)
                .orElseThrow(() -> new SquashException(TOOL + " is not on PATH (it comes with squashfs-tools-ng)"));
    }

    public static void build(TarProducer producer, Path target) {
        Path tool = tool();
        Path directory = target.toAbsolutePath().getParent();
        Path temporary;
        try {
            temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp");
        } catch (IOException e) {
            throw new SquashException(
                    target + ": cannot create a file in " + directory + ": " + JruncException.reason(e), e);
        }
        Process process = null;
        boolean built = false;
        try {
            process = new ProcessBuilder(command(tool, temporary))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            StderrTail stderr = new StderrTail(process.getErrorStream());
            stderr.start();
            IOException feedFailure = null;
            try (OutputStream stdin = new BufferedOutputStream(process.getOutputStream(), 64 * 1024)) {
                producer.writeTo(stdin);
            } catch (IOException e) {
                feedFailure = e; // most often a broken pipe: the tool's exit status says why
            }
            int status = process.waitFor();
            stderr.join();
            if (status != 0) {
                throw new SquashException(
                        target + ": " + TOOL + " failed (exit status " + status + "): " + stderr.lastLine());
            }
            if (feedFailure != null) {
                throw new SquashException(
                        target + ": cannot write the tar to " + TOOL + ": " + JruncException.reason(feedFailure),
                        feedFailure);
            }
            try (FileChannel image = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                image.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            built = true;
        } catch (IOException e) {
            throw new SquashException(target + ": " + JruncException.reason(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SquashException(target + ": interrupted while " + TOOL + " ran", e);
        } finally {
            if (!built) {
                abandon(process, temporary);
            }
        }
    }

    static List<String> command(Path tool, Path image) {
        return List.of(
                tool.toString(),
                "--quiet",
                "--no-skip",
                "--force",
                "--compressor",
                "gzip",
                "--defaults",
                "uid=0,gid=0,mode=0755,mtime=0",
                "--num-jobs",
                Integer.toString(Runtime.getRuntime().availableProcessors()),
                image.toString());
    }

    private static void abandon(Process process, Path temporary) {
        if (process != null) {
            process.destroyForcibly();
            boolean interrupted = false;
            while (process.isAlive()) {
                try {
                    process.waitFor();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            // nothing more to do: the name is hidden and marked .tmp, and the failure being reported matters more
        }
    }

    /** Drains the tool's stderr so it never blocks on a full pipe, keeping the end of it for an error message. */
    private static final class StderrTail extends Thread {
        private final InputStream stderr;
        private final byte[] tail = new byte[STDERR_TAIL];
        private int length;

        StderrTail(InputStream stderr) {
            super(TOOL + "-stderr");
            setDaemon(true);
            this.stderr = stderr;
        }

        @Override
        public void run() {
            byte[] buffer = new byte[1024];
            try (stderr) {
                for (int n = stderr.read(buffer); n >= 0; n = stderr.read(buffer)) {
                    append(buffer, n);
                }
            } catch (IOException e) {
                // the tool is gone; what was read is what there is
            }
        }

        private synchronized void append(byte[] buffer, int n) {
            int keep = Math.min(length, STDERR_TAIL - Math.min(n, STDERR_TAIL));
            System.arraycopy(tail, length - keep, tail, 0, keep);
            int take = Math.min(n, STDERR_TAIL);
            System.arraycopy(buffer, n - take, tail, keep, take);
            length = keep + take;
        }

        /** The last non-blank line the tool wrote, or a note that it wrote none. */
        synchronized String lastLine() {
            String text = new String(tail, 0, length, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                return "no message";
            }
            return text.substring(text.lastIndexOf('\n') + 1).strip();
        }
    }
}
