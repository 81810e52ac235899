package org.jrunc.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.jrunc.config.ConfigException;
import org.jrunc.config.MemoryPolicy;
import org.jrunc.stage.protocol.ProcessPlan.MemoryPolicyPlan;
import org.junit.jupiter.api.Test;

/** linux.memoryPolicy: names to the kernel's numbers, and every configuration error naming its field. */
class MemoryPolicyPlannerTest {
    @Test
    void modeAndFlagsBecomeSetMempolicysModeArgument() {
        MemoryPolicyPlan p =
                MemoryPolicyPlanner.plan(new MemoryPolicy("MPOL_INTERLEAVE", "0-1", List.of("MPOL_F_STATIC_NODES")));
        assertEquals(3 | 1 << 15, p.mode());
        assertArrayEquals(new long[] {3}, p.nodes());
        assertEquals("MPOL_INTERLEAVE", p.name());
        assertEquals(
                2 | 1 << 13,
                MemoryPolicyPlanner.plan(new MemoryPolicy("MPOL_BIND", "0", List.of("MPOL_F_NUMA_BALANCING")))
                        .mode());
        assertEquals(
                4,
                MemoryPolicyPlanner.plan(new MemoryPolicy("MPOL_LOCAL", "", null))
                        .mode());
        assertEquals(
                1,
                MemoryPolicyPlanner.plan(new MemoryPolicy("MPOL_PREFERRED", null, null))
                        .mode());
        assertNull(MemoryPolicyPlanner.plan(null));
    }

    @Test
    void errorsNameTheField() {
        String f = "config.json: field linux.memoryPolicy.";
        assertEquals(
                f + "mode: unknown mode \"bind\" (MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, "
                        + "MPOL_LOCAL, MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE)",
                why("bind", "0"));
        assertEquals(
                f + "mode: must be set (MPOL_DEFAULT, MPOL_PREFERRED, MPOL_BIND, MPOL_INTERLEAVE, MPOL_LOCAL, "
                        + "MPOL_PREFERRED_MANY, MPOL_WEIGHTED_INTERLEAVE)",
                why(null, "0"));
        assertEquals(f + "nodes: \"0-\" is not a list like \"0-3,7\": a range lacks a number", why("MPOL_BIND", "0-"));
        assertEquals(f + "nodes: MPOL_DEFAULT takes no nodes, got \"0\"", why("MPOL_DEFAULT", "0"));
        assertEquals(
                f + "nodes: MPOL_WEIGHTED_INTERLEAVE needs at least one node", why("MPOL_WEIGHTED_INTERLEAVE", ""));
        assertEquals(
                f + "flags: unknown flag \"MPOL_F_BOGUS\" (MPOL_F_NUMA_BALANCING, MPOL_F_RELATIVE_NODES, "
                        + "MPOL_F_STATIC_NODES)",
                why("MPOL_BIND", "0", "MPOL_F_BOGUS"));
        assertEquals(
                f + "flags: MPOL_F_STATIC_NODES and MPOL_F_RELATIVE_NODES exclude each other",
                why("MPOL_BIND", "0", "MPOL_F_STATIC_NODES", "MPOL_F_RELATIVE_NODES"));
    }

    private static String why(String mode, String nodes, String... flags) {
        return assertThrows(
                        ConfigException.class,
                        () -> MemoryPolicyPlanner.plan(new MemoryPolicy(mode, nodes, List.of(flags))))
                .getMessage();
    }
}
