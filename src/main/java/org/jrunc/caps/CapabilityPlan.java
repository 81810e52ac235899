package org.jrunc.caps;

import java.util.List;
import org.jrunc.config.Capabilities;
import org.jrunc.config.ConfigException;

/** The five capability sets of process.capabilities, as bit masks. */
public record CapabilityPlan(long bounding, long effective, long inheritable, long permitted, long ambient) {

    /**
     * Parses the names. An unknown name is an error that names it (runc and crun skip it silently, which hides typos
     * such as CAP_TEST); {@code field} is the JSON path for the message.
     */
    public static CapabilityPlan parse(Capabilities caps, String field) {
        if (caps == null) {
            return null;
        }
        return new CapabilityPlan(
                mask(caps.bounding(), field + ".bounding"),
                mask(caps.effective(), field + ".effective"),
                mask(caps.inheritable(), field + ".inheritable"),
                mask(caps.permitted(), field + ".permitted"),
                mask(caps.ambient(), field + ".ambient"));
    }

    static long mask(List<String> names, String field) {
        long m = 0;
        if (names == null) {
            return 0;
        }
        for (String n : names) {
            int bit = n == null ? -1 : CapabilityNames.number(n);
            if (bit < 0) {
                throw new ConfigException("config.json: field " + field + ": unknown capability \"" + n + "\"");
            }
            m |= 1L << bit;
        }
        return m;
    }

    /** Keeps only the capabilities in {@code available}; the dropped ones are what the host cannot grant. */
    public CapabilityPlan restrictTo(long available) {
        return new CapabilityPlan(
                bounding & available,
                effective & available,
                inheritable & available,
                permitted & available,
                ambient & available);
    }

    public long all() {
        return bounding | effective | inheritable | permitted | ambient;
    }
}
