package org.jrunc.spectest.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jrunc.spectest.Jrunc;
import org.jrunc.spectest.Leftovers;
import org.jrunc.spectest.e2e.HostProcesses;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The CRI validation suite (critest from cri-tools v1.32.0) through a private containerd's CRI plugin, once with the
 * host's runc and once with jrunc as the runtime handler, as Kubernetes reaches jrunc (a RuntimeClass whose handler
 * runs containerd's runc shim with BinaryName). Everything lives in a network namespace of the test's own, with the
 * images served by a local registry that containerd mirrors registry.k8s.io and gcr.io to. Every spec runc passes
 * must pass with jrunc; the totals, every skip with its reason and every failure are printed. Afterwards nothing may
 * remain: no pod, shim, mount, pod network namespace, CRI cgroup, jrunc state, and the namespace itself is deleted.
 */
@Tag("e2e")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class CriConformanceTest {
    /**
     * runc passes 84 specs on this project's hosts; far fewer means the harness is broken (a sandbox that cannot
     * start fails nearly every spec, for both runtimes alike).
     */
    private static final int RUNC_PASSES_AT_LEAST = 75;

    private Path dir;
    private Leftovers before;
    private Set<String> podNetnsBefore;
    private Set<String> criCgroupsBefore;
    private NetworkNamespace netns;
    private CriRegistry registry;
    private CriContainerd containerd;

    @BeforeAll
    void startContainerdWithTheTestImages() throws Exception {
        assumeTrue(
                Files.isExecutable(Critest.binary()) && Files.isExecutable(Critest.crictl()),
                "critest " + Critest.VERSION + " is not built at " + Critest.binary()
                        + " (scripts/setup-host.sh builds it with Go 1.23 from cri-tools' module): CRI suite skipped");
        assumeTrue(
                Files.isExecutable(CriTestImages.BUSYBOX),
                CriTestImages.BUSYBOX + " is missing (scripts/setup-host.sh unpacks Debian's busybox there): CRI"
                        + " suite skipped");
        before = Leftovers.take();
        podNetnsBefore = podNetworkNamespaces();
        criCgroupsBefore = criCgroups();
        dir = Files.createTempDirectory("jrunc-cri");
        netns = NetworkNamespace.create("jrunc-cri-" + Long.toHexString(System.nanoTime() & 0xfffffL));
        registry = CriRegistry.start(netns, dir.resolve("registry"));
        CriTestImages.push(netns, Files.createDirectories(dir.resolve("images")));
        containerd = CriContainerd.start(netns, dir.resolve("containerd"));
    }

    @Test
    void everySpecRuncPassesJruncPassesToo() throws Exception {
        CritestReport runc = Critest.run(netns, containerd, "runc");
        CritestReport jrunc = Critest.run(netns, containerd, "jrunc");
        String summary = summary(runc, jrunc);
        System.out.println(summary);
        keepReports(summary);
        assertTrue(
                runc.passed().size() >= RUNC_PASSES_AT_LEAST,
                "runc passed only " + runc.passed().size() + " specs: the harness (images, pod network, containerd) is"
                        + " broken, and a comparison with it would prove nothing\n" + summary);
        List<String> regressions = jrunc.regressionsAgainst(runc).stream()
                .map(s -> s.name() + " [" + s.state() + "]: " + oneLine(s.message()))
                .toList();
        assertEquals(List.of(), regressions, "specs runc passes and jrunc does not\n" + summary);
    }

    /** critest's logs and JSON reports and the summary, into target/cri-conformance, for whoever reads a failure. */
    private void keepReports(String summary) throws IOException {
        Path reports = Files.createDirectories(Jrunc.home().resolve("target/cri-conformance"));
        Files.writeString(reports.resolve("summary.md"), summary);
        try (Stream<Path> s = Files.list(containerd.dir)) {
            for (Path p :
                    (Iterable<Path>) s.filter(p -> p.getFileName().toString().startsWith("critest-"))::iterator) {
                Files.copy(p, reports.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The totals table, then each handler's failures and skips with ginkgo's message. */
    private static String summary(CritestReport runc, CritestReport jrunc) {
        List<String> lines = new ArrayList<>(List.of(
                "critest " + Critest.VERSION + " through containerd's CRI (cgroupfs driver)",
                "",
                "| runtime | passed | failed | skipped |",
                "|---|---:|---:|---:|",
                runc.totalsRow(),
                jrunc.totalsRow()));
        for (CritestReport r : List.of(runc, jrunc)) {
            lines.add("");
            lines.add(r.handler() + " failed:");
            r.failed().forEach(s -> lines.add("  - " + s.name() + ": " + oneLine(s.message())));
            lines.add(r.handler() + " skipped:");
            r.skipped().forEach(s -> lines.add("  - " + s.name() + ": " + skipReason(s)));
        }
        return String.join("\n", lines);
    }

    private static String skipReason(CritestReport.Spec s) {
        return s.message().isEmpty()
                ? "left out by critest's ginkgo filter (-ginkgo.skip=benchmark)"
                : oneLine(s.message());
    }

    /** ginkgo's message on one line, cut at 300 characters (its object dumps run to pages). */
    private static String oneLine(String message) {
        String flat = message.strip().replaceAll("\\s+", " ");
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + " ...";
    }

    @AfterAll
    void removeEverything() throws Exception {
        if (dir == null) {
            return;
        }
        List<String> problems = new ArrayList<>();
        try {
            if (containerd != null) {
                removePods(problems);
                containerd.close();
                assertFalse(HostProcesses.alive(containerd.pid()), "containerd still running");
            }
        } finally {
            // shims name containerd's socket under its directory on their command line
            for (long shim : HostProcesses.withCommandLineContaining(
                    dir.resolve("containerd").toString())) {
                if (!HostProcesses.awaitExit(shim, 20)) {
                    problems.add("process left: " + shim);
                }
            }
            if (registry != null) {
                registry.close();
            }
            if (netns != null) {
                netns.close();
            }
        }
        if (netns != null && NetworkNamespace.exists(netns.name)) {
            problems.add("network namespace left: " + netns.name);
        }
        Set<String> podNetns = podNetworkNamespaces();
        podNetns.removeAll(podNetnsBefore);
        podNetns.forEach(n -> problems.add("pod network namespace left: " + n));
        Set<String> cgroups = criCgroups();
        cgroups.removeAll(criCgroupsBefore);
        cgroups.forEach(c -> problems.add("CRI cgroup left: " + c));
        problems.addAll(jruncState());
        problems.addAll(Leftovers.diff(before, Leftovers.take()));
        if (problems.isEmpty()) {
            HostProcesses.deleteTree(dir);
        }
        assertEquals(List.of(), problems, "the CRI suite left resources behind (its files kept in " + dir + ")");
    }

    /**
     * critest removes what it made, but a spec that fails half way may not: every pod left is reported and removed
     * (crictl rmp -f stops its containers and frees its network namespace and mounts).
     */
    private void removePods(List<String> problems) {
        List<String> pods = containerd
                .crictl(List.of("pods", "-q"), 60)
                .out()
                .lines()
                .filter(l -> !l.isBlank())
                .toList();
        pods.forEach(p -> problems.add("pod left by critest: " + p));
        if (!pods.isEmpty()) {
            containerd.crictl(List.of("rmp", "-a", "-f"), 300);
        }
    }

    /** jrunc's state directories under the jrunc handler's runc root, per containerd namespace. */
    private List<String> jruncState() throws IOException {
        List<String> out = new ArrayList<>();
        Path root = dir.resolve("containerd/runtime-root/jrunc");
        if (Files.isDirectory(root)) {
            try (Stream<Path> s = Files.walk(root, 2)) {
                s.filter(p -> p.getNameCount() == root.getNameCount() + 2)
                        .forEach(p -> out.add("jrunc state left: " + p));
            }
        }
        return out;
    }

    /** /run/netns entries: containerd's CRI makes one per pod (cni-UUID). */
    private static Set<String> podNetworkNamespaces() throws IOException {
        Set<String> out = new TreeSet<>();
        Path runNetns = Path.of("/run/netns");
        if (Files.isDirectory(runNetns)) {
            try (Stream<Path> s = Files.list(runNetns)) {
                s.map(p -> p.getFileName().toString())
                        .filter(n -> n.startsWith("cni-"))
                        .forEach(out::add);
            }
        }
        return out;
    }

    /** Cgroups of CRI pods and containers (their paths hold "cri-containerd" or critest's "test.slice") anywhere. */
    private static Set<String> criCgroups() throws IOException {
        Set<String> out = new TreeSet<>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path h : (Iterable<Path>) hierarchies::iterator) {
                if (!Files.isDirectory(h) || Files.isSymbolicLink(h)) {
                    continue;
                }
                try (Stream<Path> s = Files.walk(h, 6)) {
                    s.filter(Files::isDirectory)
                            .map(Path::toString)
                            .filter(p -> p.contains("cri-containerd") || p.contains("test.slice"))
                            .forEach(out::add);
                }
            }
        }
        return out;
    }
}
