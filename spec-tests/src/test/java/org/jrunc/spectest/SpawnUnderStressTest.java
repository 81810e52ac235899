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
        Bundle plain = bundle("true");
        Path plainDir = plain.write();
        Bundle userns = bundle("true");
        userns.withNamespace("user", null);
        userns.linux().putArray("uidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        userns.linux().putArray("gidMappings").addObject().put("containerID", 0).put("hostID", 100000).put("size", 65536);
        Path usernsDir = userns.write();
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String id = "stress-" + i;
            Path b = i % 2 == 0 ? plainDir : usernsDir;
            Jrunc.Result r = jrunc.exec(STRESS, null, "create", "--bundle", b.toString(), id);
            if (r.exit() != 0) {
                failures.add(id + ": " + r.err().trim());
                continue;
            }
            Jrunc.Result d = jrunc.run("delete", id);
            if (d.exit() != 0) {
                failures.add(id + " delete: " + d.err().trim());
            }
        }
        assertEquals(List.of(), failures);
        assertNothingLeft();
    }
}
