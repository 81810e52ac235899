package org.jrunc.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.jrunc.config.Capabilities;
import org.junit.jupiter.api.Test;

class CapabilityPlanTest {
    @Test
    void namesBecomeBitsInEachSet() {
        CapabilityPlan p = CapabilityPlan.parse(
                new Capabilities(
                        List.of("CAP_CHOWN", "CAP_KILL"),
                        List.of("CAP_KILL"),
                        List.of(),
                        List.of("CAP_KILL", "CAP_SYS_ADMIN"),
                        List.of("CAP_KILL")),
                "process.capabilities");
        assertEquals((1L << 0) | (1L << 5), p.bounding());
        assertEquals(1L << 5, p.effective());
        assertEquals(0, p.inheritable());
        assertEquals((1L << 5) | (1L << 21), p.permitted());
        assertEquals(1L << 5, p.ambient());
    }

    @Test
    void anUnknownNameIsAnErrorThatNamesIt() {
        String m = assertThrows(
                        RuntimeException.class,
                        () -> CapabilityPlan.parse(
                                new Capabilities(List.of("CAP_TEST"), null, null, null, null), "process.capabilities"))
                .getMessage();
        assertTrue(m.contains("process.capabilities.bounding") && m.contains("CAP_TEST"), m);
    }
}
