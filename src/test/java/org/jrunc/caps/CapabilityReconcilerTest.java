package org.jrunc.caps;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class CapabilityReconcilerTest {
    private static final long KILL = 1L << 5;
    private static final long NET_BIND_SERVICE = 1L << 10;
    private static final long AUDIT_WRITE = 1L << 29;
    private static final long ALL = CapabilityReconciler.kernelMask(40);

    /**
     * runc's `spec` template: ambient capabilities without inheritable ones. Skipped without a warning, as runc does
     * (issue 12: every run printed one); one debug line names them all.
     */
    @Test
    void ambientWithoutInheritableIsSkippedSilently() {
        long caps = KILL | NET_BIND_SERVICE | AUDIT_WRITE;
        CapabilityPlan requested = new CapabilityPlan(caps, caps, 0, caps, caps);
        CapabilityReconciler.Result r = CapabilityReconciler.fit(requested, ALL);
        assertEquals(0, r.plan().ambient());
        assertEquals(caps, r.plan().permitted());
        assertEquals(List.of(), r.warnings());
        assertEquals(
                "ambient capabilities CAP_KILL, CAP_NET_BIND_SERVICE, CAP_AUDIT_WRITE not in both the "
                        + "permitted and inheritable sets: skipped",
                CapabilityReconciler.unraisableAmbient(requested));
        assertEquals(null, CapabilityReconciler.unraisableAmbient(new CapabilityPlan(KILL, KILL, KILL, KILL, KILL)));
    }

    @Test
    void ambientInPermittedAndInheritableIsKept() {
        CapabilityReconciler.Result r = CapabilityReconciler.fit(new CapabilityPlan(KILL, KILL, KILL, KILL, KILL), ALL);
        assertEquals(KILL, r.plan().ambient());
        assertEquals(List.of(), r.warnings());
    }

    /** This project's hosts lack CAP_SYS_RESOURCE (24): skipped with a warning, the rest granted. */
    @Test
    void aCapabilityTheHostLacksIsSkipped() {
        long sysResource = 1L << 24;
        CapabilityReconciler.Result r =
                CapabilityReconciler.fit(new CapabilityPlan(KILL | sysResource, KILL, 0, KILL, 0), ALL & ~sysResource);
        assertEquals(KILL, r.plan().bounding());
        assertEquals(List.of("capability CAP_SYS_RESOURCE is not available on this host; it is skipped"), r.warnings());
    }
}
