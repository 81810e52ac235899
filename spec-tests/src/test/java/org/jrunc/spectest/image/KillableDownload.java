package org.jrunc.spectest.image;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A download (skopeo's or jrunc's) started in the background against a {@link RegistryFront} whose blob is throttled,
 * so that a test can SIGKILL it while that blob streams. Output goes to a log file; stdin is /dev/null.
 */
final class KillableDownload {
    private KillableDownload() {}

    /** Starts {@code cmd}, waits until the front serves {@code blob}, then SIGKILLs it; returns its exit status. */
    static int killWhileStreaming(List<String> cmd, Map<String, String> env, Path log, RegistryFront front, String blob)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(cmd)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(env);
        Process download = builder.start();
        front.awaitRequest(r -> blob.equals(r.blobDigest()) && r.status() == 200, Duration.ofSeconds(60));
        // some bytes of the blob reach the client's staged file before the kill
        Thread.sleep(500);
        download.destroyForcibly();
        return download.waitFor();
    }
}
