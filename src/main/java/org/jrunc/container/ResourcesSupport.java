package org.jrunc.container;

import org.jrunc.config.Resources;
import org.jrunc.log.Log;

/** Says which linux.resources fields are not applied, instead of ignoring them silently. */
final class ResourcesSupport {
    private ResourcesSupport() {
    }

    static void check(Resources r) {
        if (r == null) {
            return;
        }
        if (r.memory() != null || r.cpu() != null || r.pids() != null || r.blockIO() != null
                || r.hugepageLimits() != null || r.network() != null || r.rdma() != null || r.unified() != null
                || r.devices() != null) {
            Log.warn("linux.resources are not applied yet by this build of jrunc; the container gets its own cgroup "
                    + "without limits");
        }
    }
}
