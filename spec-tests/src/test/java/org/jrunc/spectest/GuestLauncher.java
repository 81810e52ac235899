package org.jrunc.spectest;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectPackage;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.TagFilter;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.reporting.legacy.xml.LegacyXmlReportGeneratingListener;

/**
 * Runs spec-test classes without Maven, for the qemu guests of scripts/test-cgroup-v2.sh and scripts/test-systemd.sh
 * (Maven wants to write to ~/.m2, which the guests see read-only): {@code GuestLauncher REPORT_DIR [--tag TAG]
 * [CLASS...]}. With a tag, only that JUnit group runs: the classes named that carry it, or without names every class in
 * org.jrunc.spectest that does. It writes failsafe-style XML reports and a progress log, one line per finished test, to
 * REPORT_DIR, and exits non-zero unless every test ran and passed: in the guest a skipped test means its setup is
 * missing, which is a failure too. stdout gets the failures and a closing "N passed, N failed, N skipped" line.
 */
public final class GuestLauncher {
    private GuestLauncher() {}

    public static void main(String[] args) throws Exception {
        Path reports = Path.of(args[0]);
        Files.createDirectories(reports);
        LauncherDiscoveryRequestBuilder request = LauncherDiscoveryRequestBuilder.request();
        int first = 1;
        if (args.length > 2 && args[1].equals("--tag")) {
            request.filters(TagFilter.includeTags(args[2]));
            first = 3;
            if (args.length == first) {
                request.selectors(selectPackage(GuestLauncher.class.getPackageName()));
            }
        }
        for (int i = first; i < args.length; i++) {
            request.selectors(selectClass(args[i]));
        }
        LauncherDiscoveryRequest discovery = request.build();
        Progress progress = new Progress(reports.resolve("progress.log"));
        LauncherFactory.create()
                .execute(
                        discovery,
                        progress,
                        new LegacyXmlReportGeneratingListener(reports, new PrintWriter(System.err)));
        String summary =
                progress.passed + " passed, " + progress.failed.size() + " failed, " + progress.skipped + " skipped";
        progress.log(summary);
        for (String f : progress.failed) {
            System.out.println(f);
        }
        System.out.println(summary);
        System.exit(progress.failed.isEmpty() && progress.skipped == 0 && progress.passed > 0 ? 0 : 1);
    }

    /** Counts the tests and logs each as it ends, with its time, so a hung guest still shows how far it got. */
    private static final class Progress implements TestExecutionListener {
        private final Path log;
        private final List<String> failed = new ArrayList<>();
        private int passed;
        private int skipped;
        private long started;

        Progress(Path log) throws IOException {
            this.log = log;
            Files.writeString(log, "");
        }

        @Override
        public void executionStarted(TestIdentifier t) {
            started = System.nanoTime();
        }

        @Override
        public void executionSkipped(TestIdentifier t, String reason) {
            if (t.isTest()) {
                skipped++;
                log("SKIPPED " + t.getDisplayName() + ": " + reason);
            }
        }

        @Override
        public void executionFinished(TestIdentifier t, TestExecutionResult result) {
            if (!t.isTest()) {
                if (result.getStatus() == TestExecutionResult.Status.FAILED) {
                    failed.add("FAILED " + t.getDisplayName() + ": " + trace(result));
                }
                return;
            }
            String line = String.format(
                    "%s %s (%.1f s)", result.getStatus(), t.getDisplayName(), (System.nanoTime() - started) / 1e9);
            switch (result.getStatus()) {
                case SUCCESSFUL -> passed++;
                case ABORTED -> skipped++;
                case FAILED -> failed.add(line + ": " + trace(result));
            }
            log(line);
        }

        private static String trace(TestExecutionResult result) {
            StringWriter w = new StringWriter();
            result.getThrowable().ifPresent(e -> e.printStackTrace(new PrintWriter(w)));
            return w.toString();
        }

        void log(String line) {
            try {
                Files.writeString(log, line + "\n", StandardOpenOption.APPEND);
            } catch (IOException e) {
                // the report directory is gone; stdout still has it
            }
        }
    }
}
