package org.jrunc.spectest.cri;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parsing and comparison CriConformanceTest rests on, on ginkgo JSON reports shaped as critest v1.32.0 writes
 * them (no containerd, no root): suite nodes are not specs, a spec's name joins its containers' texts and its own, a
 * Skip's reason is kept, and a regression is a spec the reference passed that the other run failed or lacks.
 */
class CritestReportTest {
    @TempDir
    Path dir;

    private static String spec(String leafType, List<String> containers, String leaf, String state, String message) {
        String texts =
                String.join(",", containers.stream().map(t -> "\"" + t + "\"").toList());
        return "{\"ContainerHierarchyTexts\":[" + texts + "],\"LeafNodeType\":\"" + leafType + "\",\"LeafNodeText\":\""
                + leaf + "\",\"State\":\"" + state + "\",\"Failure\":{\"Message\":\"" + message + "\"}}";
    }

    private CritestReport report(String handler, String... specs) throws Exception {
        Path json = dir.resolve(handler + ".json");
        Files.writeString(
                json, "[{\"SuiteDescription\":\"CRI validation\",\"SpecReports\":[" + String.join(",", specs) + "]}]");
        return CritestReport.parse(handler, json);
    }

    @Test
    void specsAreTheItNodesByFullNameWithStateAndMessage() throws Exception {
        CritestReport r = report(
                "jrunc",
                spec("BeforeSuite", List.of(), "", "passed", ""),
                spec("It", List.of("[k8s.io] Container", "runtime should support"), "exec", "passed", ""),
                spec("It", List.of("[k8s.io] Networking"), "port mapping", "failed", "connection refused"),
                spec("It", List.of("[k8s.io] AppArmor"), "profile", "skipped", "AppArmor is disabled on this host"),
                spec("It", List.of("[k8s.io] Image benchmark"), "pull", "skipped", ""));

        assertEquals(
                List.of("[k8s.io] Container runtime should support exec"),
                r.passed().stream().map(CritestReport.Spec::name).toList());
        assertEquals(
                List.of(new CritestReport.Spec("[k8s.io] Networking port mapping", "failed", "connection refused")),
                r.failed());
        assertEquals(
                List.of("AppArmor is disabled on this host", ""),
                r.skipped().stream().map(CritestReport.Spec::message).toList());
        assertEquals("| jrunc | 1 | 1 | 2 |", r.totalsRow());
    }

    @Test
    void aRegressionIsASpecTheReferencePassesAndTheOtherRunDoesNot() throws Exception {
        CritestReport runc = report(
                "runc",
                spec("It", List.of("[k8s.io] A"), "passes in both", "passed", ""),
                spec("It", List.of("[k8s.io] B"), "fails here", "passed", ""),
                spec("It", List.of("[k8s.io] C"), "missing there", "passed", ""),
                spec("It", List.of("[k8s.io] D"), "fails in both", "failed", "digest"));
        CritestReport jrunc = report(
                "jrunc",
                spec("It", List.of("[k8s.io] A"), "passes in both", "passed", ""),
                spec("It", List.of("[k8s.io] B"), "fails here", "failed", "mount not seen on the host"),
                spec("It", List.of("[k8s.io] D"), "fails in both", "failed", "digest"));

        assertEquals(
                List.of(
                        new CritestReport.Spec("[k8s.io] B fails here", "failed", "mount not seen on the host"),
                        new CritestReport.Spec("[k8s.io] C missing there", "missing", "not in jrunc's report")),
                jrunc.regressionsAgainst(runc));
        assertEquals(List.of(), runc.regressionsAgainst(runc));
    }
}
