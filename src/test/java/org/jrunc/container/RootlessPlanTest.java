package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.config.IdMapping;
import org.jrunc.config.Namespace;
import org.jrunc.namespaces.NamespacePlan;
import org.jrunc.namespaces.Rootless;
import org.jrunc.stage.protocol.ProcessPlan;
import org.junit.jupiter.api.Test;

/** What create plans differently for an unprivileged caller, before anything exists. */
class RootlessPlanTest {
    private static final Rootless USER = new Rootless(1001, 1001, false);

    /** fails on fbadc0c: an unprivileged create went on without a user namespace and failed at the first mount. */
    @Test
    void anUnprivilegedCallerNeedsAUserNamespace() {
        NamespacePlan ns = NamespacePlan.parse(List.of(new Namespace("mount", null)));
        JruncException e = assertThrows(JruncException.class, () -> CreatePlan.idMaps(null, null, ns, USER));
        assertEquals(
                "config.json: field linux.namespaces: rootless container requires user namespaces (jrunc runs as uid"
                        + " 1001)",
                e.getMessage());
        assertNull(CreatePlan.idMaps(null, null, ns, new Rootless(0, 0, false)), "root needs none");
    }

    @Test
    void theCallersOwnIdsAloneDenySetgroups() {
        List<IdMapping> own = List.of(new IdMapping(0L, 1001L, 1L));
        NamespacePlan ns = NamespacePlan.parse(List.of(new Namespace("user", null), new Namespace("mount", null)));
        assertTrue(CreatePlan.idMaps(own, own, ns, USER).deniesSetgroups());
    }

    /** runc and crun leave the groups alone where setgroups is denied; asking for some is refused in runc's words. */
    @Test
    void noSetgroupsWhereItIsDenied() {
        ProcessPlan none = ProcessPlan.builder().additionalGids(new long[0]).build();
        assertNull(ProcessPlanner.withoutSetgroups(none, "process").additionalGids());
        ProcessPlan some = ProcessPlan.builder().additionalGids(new long[] {10}).build();
        JruncException e = assertThrows(JruncException.class, () -> ProcessPlanner.withoutSetgroups(some, "process"));
        assertTrue(
                e.getMessage()
                        .startsWith("config.json: field process.user.additionalGids: cannot set any additional groups"
                                + " in a rootless container"),
                e.getMessage());
    }
}
