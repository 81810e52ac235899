package org.jrunc.spectest.cri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One critest run as ginkgo's JSON report gives it: every spec (an "It" node; suite set-up nodes are not specs) by its
 * full name, with its state and, for a failure or a skip, ginkgo's message (a Skip's reason; empty for specs the
 * ginkgo filters left out, such as the benchmarks critest skips itself).
 */
record CritestReport(String handler, Map<String, Spec> specs) {
    private static final ObjectMapper JSON = new ObjectMapper();

    record Spec(String name, String state, String message) {
        boolean passed() {
            return state.equals("passed");
        }

        boolean skipped() {
            return state.equals("skipped") || state.equals("pending");
        }

        boolean failed() {
            return !passed() && !skipped();
        }
    }

    CritestReport {
        specs = Collections.unmodifiableSortedMap(new TreeMap<>(specs));
    }

    static CritestReport parse(String handler, Path json) throws IOException {
        Map<String, Spec> specs = new TreeMap<>();
        for (JsonNode suite : JSON.readTree(json.toFile())) {
            for (JsonNode spec : suite.path("SpecReports")) {
                if (!spec.path("LeafNodeType").asText().equals("It")) {
                    continue;
                }
                List<String> name = new ArrayList<>();
                spec.path("ContainerHierarchyTexts").forEach(t -> name.add(t.asText()));
                name.add(spec.path("LeafNodeText").asText());
                String full = String.join(" ", name);
                specs.put(
                        full,
                        new Spec(
                                full,
                                spec.path("State").asText(),
                                spec.path("Failure").path("Message").asText("")));
            }
        }
        return new CritestReport(handler, specs);
    }

    List<Spec> passed() {
        return specs.values().stream().filter(Spec::passed).toList();
    }

    List<Spec> failed() {
        return specs.values().stream().filter(Spec::failed).toList();
    }

    List<Spec> skipped() {
        return specs.values().stream().filter(Spec::skipped).toList();
    }

    /** The specs {@code reference} passes and this run does not, with this run's state and message. */
    List<Spec> regressionsAgainst(CritestReport reference) {
        return reference.passed().stream()
                .map(s ->
                        specs.getOrDefault(s.name(), new Spec(s.name(), "missing", "not in " + handler + "'s report")))
                .filter(s -> !s.passed())
                .toList();
    }

    /** "| handler | passed | failed | skipped |" row of the totals table. */
    String totalsRow() {
        return "| " + handler + " | " + passed().size() + " | " + failed().size() + " | "
                + skipped().size() + " |";
    }
}
