package org.jrunc.hooks;

import org.jrunc.sys.Syscalls;

/**
 * The hooks of this host: a {@link HookRunner} that spawns them. A class of its own, so that the hot commands, which
 * are handed this factory, load neither HookRunner nor what it needs unless a container has poststart or poststop
 * hooks.
 */
public final class SpawnedHooks implements HookPhases.Factory {
    public static final SpawnedHooks HOST = new SpawnedHooks();

    private SpawnedHooks() {}

    @Override
    public HookPhases over(Syscalls sys) {
        return new HookRunner(sys);
    }
}
