package org.jrunc.container;

import org.jrunc.config.ConfigException;
import org.jrunc.config.Seccomp;
import org.jrunc.log.Log;
import org.jrunc.seccomp.CompiledFilter;
import org.jrunc.seccomp.SeccompCompiler;
import org.jrunc.stage.protocol.ProcessPlan;

/** linux.seccomp compiled to BPF in the runtime, so the init only has to load it (no libseccomp in the init). */
final class SeccompPlanner {
    private SeccompPlanner() {}

    static ProcessPlan.SeccompPlan plan(Seccomp seccomp) {
        if (seccomp == null) {
            return null;
        }
        CompiledFilter f = new SeccompCompiler().compile(seccomp);
        f.warnings().forEach(Log::warn);
        boolean hasListener =
                seccomp.listenerPath() != null && !seccomp.listenerPath().isEmpty();
        if (f.usesNotify() && !hasListener) {
            throw new ConfigException(
                    "config.json: field linux.seccomp.listenerPath: SCMP_ACT_NOTIFY needs a listener");
        }
        if (!f.usesNotify() && hasListener) {
            Log.warn("linux.seccomp.listenerPath is set but no rule uses SCMP_ACT_NOTIFY; no listener fd is sent");
        }
        return new ProcessPlan.SeccompPlan(f.program(), f.flags(), f.usesNotify(), seccomp.listenerMetadata());
    }
}
