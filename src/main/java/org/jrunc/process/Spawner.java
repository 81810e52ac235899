package org.jrunc.process;

import org.jrunc.sys.Syscalls;

/**
 * Starts a container's init or an exec stage from a {@link SpawnRequest}: {@link InitSpawner} on this host
 * ({@link InitSpawner#ON_HOST}); the unit tests of create and exec stand in for it with a spawner that only reports a
 * pid, since the real one needs a kernel (unshare, posix_spawn, clone).
 */
public interface Spawner {
    InitSpawner.Spawned spawn(Syscalls sys, SpawnRequest req);
}
