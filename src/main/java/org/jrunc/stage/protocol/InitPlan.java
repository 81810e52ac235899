package org.jrunc.stage.protocol;

import java.util.List;
import java.util.Map;
import org.jrunc.hooks.HookSpec;
import org.jrunc.rootfs.RootfsPlan;

/**
 * What `create` hands to the init process over the sync socket. The runtime parses and validates config.json; the init
 * only carries out this plan, so it never loads jackson or libseccomp.
 *
 * @param stateJson the runtime-spec state for hooks run by the init, with "pid" and "status" filled in there
 * @param fds where the runtime placed descriptors in the init (see {@link InitFds})
 */
public record InitPlan(
        String containerId,
        RootfsPlan rootfs,
        ProcessPlan process,
        String hostname,
        String domainname,
        Map<String, String> sysctl,
        Integer oomScoreAdj,
        List<HookSpec> createContainerHooks,
        List<HookSpec> startContainerHooks,
        boolean runtimeHooks,
        Map<String, Object> stateJson,
        boolean logJson,
        InitFds fds) {
}
