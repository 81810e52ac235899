package org.jrunc.spectest.cri;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * critest (cri-tools v1.32.0, built by scripts/setup-host.sh into /var/cache/jrunc-ci, or wherever the
 * {@code jrunc.critest} property points) run against a {@link CriContainerd} with one runtime handler, inside the
 * suite's network namespace (the pod IPs and host ports it connects to live there). Its ginkgo JSON report is parsed
 * into a {@link CritestReport}; its output stays in DIR/critest-HANDLER.log.
 */
final class Critest {
    static final String VERSION = "v1.32.0";
    private static final long TIMEOUT_MINUTES = 30;

    private Critest() {}

    static Path binary() {
        return Path.of(System.getProperty("jrunc.critest", "/var/cache/jrunc-ci/critest-" + VERSION + "/critest"));
    }

    static Path crictl() {
        return binary().resolveSibling("crictl");
    }

    static CritestReport run(NetworkNamespace netns, CriContainerd containerd, String handler)
            throws IOException, InterruptedException {
        Path report = containerd.dir.resolve("critest-" + handler + ".json");
        Path log = containerd.dir.resolve("critest-" + handler + ".log");
        ProcessBuilder pb = new ProcessBuilder(netns.command(List.of(
                binary().toString(),
                "-runtime-endpoint=" + containerd.endpoint(),
                "-image-endpoint=" + containerd.endpoint(),
                "-runtime-handler=" + handler,
                "-ginkgo.json-report=" + report,
                "-ginkgo.no-color")));
        pb.directory(containerd.dir.toFile());
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.toHandle().destroyForcibly();
            p.waitFor();
            throw new AssertionError("critest (" + handler + ") ran over " + TIMEOUT_MINUTES + " minutes; see " + log);
        }
        if (!Files.isRegularFile(report)) {
            throw new AssertionError("critest (" + handler + ") exited " + p.exitValue() + " without a report:\n"
                    + Files.readString(log));
        }
        return CritestReport.parse(handler, report);
    }
}
