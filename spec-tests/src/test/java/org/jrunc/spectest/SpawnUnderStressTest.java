package org.jrunc.spectest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * 200 creates in a row while a thread inside each jrunc process forces safepoints, allocates and compiles
 * (-Djrunc.test.forceSafepoints=true): the conditions under which a Java-running cloned child hangs 1-30 % of the
 * time. Half of them go through the user-namespace (clone) path, half through the posix_spawn path. Every one must
 * succeed.
 */
class SpawnUnderStressTest extends SpecTest {
    private static final Map<String, String> STRESS = Map.of("JRUNC_JAVA_OPTS", "-Djrunc.test.forceSafepoints=true");

    @Test
    void twoHundredCreatesUnderForcedSafepoints() throws Exception {
        Path[] bundles = plainAndUserns("true");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            createAndDelete("stress-" + i, failures, "--bundle", bundles[i % 2].toString());
        }
        assertEquals(List.of(), failures);
        assertNothingLeft();
    }

    /**
     * create --attachable spawns the monitor too (posix_spawn from the main thread), and the init with the monitor's
     * pipes as its stdio (dup2 file actions, or dup3 steps of the clone chain), under the same stress.
     */
    @Test
    void fortyAttachableCreatesUnderForcedSafepoints() throws Exception {
        Path[] bundles = plainAndUserns("sh", "-c", "echo up; sleep 30");
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            createAndDelete("stress-attach-" + i, failures, "--attachable", "--bundle", bundles[i % 2].toString());
        }
        assertEquals(List.of(), failures);
        assertNothingLeft();
    }

    /** Two bundles running {@code args}: one spawned by posix_spawn, one (a new user namespace) by the clone chain. */
    private Path[] plainAndUserns(String... args) {
        Bundle userns = bundle(args);
        userns.withNamespace("user", null);
        userns.linux()
                .putArray("uidMappings")
                .addObject()
                .put("containerID", 0)
                .put("hostID", 100000)
                .put("size", 65536);
        userns.linux()
                .putArray("gidMappings")
                .addObject()
                .put("containerID", 0)
                .put("hostID", 100000)
                .put("size", 65536);
        return new Path[] {bundle(args).write(), userns.write()};
    }

    /** One create under stress and its delete; what goes wrong is added to {@code failures}. */
    private void createAndDelete(String id, List<String> failures, String... createFlags) {
        List<String> args = new ArrayList<>(List.of("create"));
        args.addAll(List.of(createFlags));
        args.add(id);
        Jrunc.Result r = jrunc.exec(STRESS, null, args.toArray(new String[0]));
        if (r.exit() != 0) {
            failures.add(id + ": " + r.err().trim());
            return;
        }
        Jrunc.Result d = jrunc.run("delete", id);
        if (d.exit() != 0) {
            failures.add(id + " delete: " + d.err().trim());
        }
    }
}
