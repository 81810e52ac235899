package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * Base of every spec-test: a private --root, bundles under a temp dir, and after each test a forced delete of
 * whatever containers remain followed by the leftover check (no cgroup, mount, state directory or init process).
 */
public abstract class SpecTest {
    @TempDir
    protected Path tmp;

    protected Jrunc jrunc;
    private Leftovers before;

    @BeforeEach
    void setUpRoot() throws IOException {
        Path root = tmp.resolve("root");
        jrunc = new Jrunc(root);
        before = Leftovers.take();
    }

    @AfterEach
    void checkNothingLeft() throws IOException {
        List<String> stateDirs = List.of();
        if (Files.isDirectory(jrunc.root())) {
            try (var s = Files.list(jrunc.root())) {
                stateDirs = s.map(p -> p.getFileName().toString()).toList();
            }
        }
        for (String id : stateDirs) {
            jrunc.run("delete", "--force", id);
        }
        List<String> problems = Leftovers.diff(before, Leftovers.take());
        assertEquals(
                List.of(),
                problems,
                "the test left resources behind (containers still present were: " + stateDirs + ")");
    }

    /** Takes the leftover snapshot again, after a fixture the test made itself (and removes before it ends). */
    protected void rebaseline() {
        before = Leftovers.take();
    }

    protected Bundle bundle(String... args) {
        return Bundle.create(tmp, args);
    }

    protected String uniqueId(String base) {
        return base + "-" + Long.toHexString(System.nanoTime() & 0xffffffL);
    }

    /** Fails if anything (cgroup, mount, init process, state directory) exists now that did not before the test. */
    protected void assertNothingLeft() throws IOException {
        assertEquals(List.of(), Leftovers.diff(before, Leftovers.take()), "resources left behind");
        assertEquals(List.of(), stateEntries(), "state directories left behind");
    }

    /** State-directory entries: must be empty after a container is deleted. */
    protected List<String> stateEntries() throws IOException {
        if (!Files.isDirectory(jrunc.root())) {
            return List.of();
        }
        try (var s = Files.list(jrunc.root())) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }
}
