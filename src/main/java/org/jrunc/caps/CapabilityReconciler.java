package org.jrunc.caps;

import java.util.ArrayList;
import java.util.List;

/**
 * Fits the requested capability sets to what the process can really grant. The spec says capabilities that cannot be
 * granted are a warning, not a failure: one the kernel does not know or the runtime does not hold (this project's
 * hosts lack CAP_SYS_RESOURCE in their bounding set) is skipped; an ambient capability outside permitted or
 * inheritable cannot be raised and is skipped too, silently as runc does ({@link #unraisableAmbient} words it for a
 * debug message: runc's own `spec` template asks for such ambient capabilities).
 */
public final class CapabilityReconciler {
    /** The fitted plan and a warning per skipped capability. */
    public record Result(CapabilityPlan plan, List<String> warnings) {}

    private CapabilityReconciler() {}

    /** @param available the capabilities this process holds (its permitted set, limited to the kernel's last cap) */
    public static Result fit(CapabilityPlan requested, long available) {
        List<String> warnings = new ArrayList<>();
        if (requested == null) {
            return new Result(null, warnings);
        }
        long missing = requested.all() & ~available;
        for (String name : CapabilityNames.names(missing)) {
            warnings.add("capability " + name + " is not available on this host; it is skipped");
        }
        CapabilityPlan fitted = requested.restrictTo(available);
        long ambientOk = fitted.ambient() & fitted.permitted() & fitted.inheritable();
        return new Result(
                new CapabilityPlan(
                        fitted.bounding(), fitted.effective(), fitted.inheritable(), fitted.permitted(), ambientOk),
                warnings);
    }

    /**
     * One line naming the ambient capabilities of {@code requested} that are not in both its permitted and
     * inheritable sets, so can never be raised; null when there are none.
     */
    public static String unraisableAmbient(CapabilityPlan requested) {
        if (requested == null) {
            return null;
        }
        List<String> names =
                CapabilityNames.names(requested.ambient() & ~(requested.permitted() & requested.inheritable()));
        if (names.isEmpty()) {
            return null;
        }
        return "ambient " + (names.size() == 1 ? "capability " : "capabilities ") + String.join(", ", names)
                + " not in both the permitted and inheritable sets: skipped";
    }

    /** Bits 0..lastCap. */
    public static long kernelMask(int lastCap) {
        return lastCap >= 63 ? -1L : (1L << (lastCap + 1)) - 1;
    }
}
