package org.jrunc.container;

import java.util.List;

/**
 * The options of `exec`, as runc spells them.
 *
 * @param pidfdSocket --pidfd-socket: an AF_UNIX socket that receives a pidfd of the exec'd process, or null
 */
public record ExecOptions(
        String id,
        String processFile,
        List<String> args,
        boolean tty,
        String consoleSocket,
        String pidfdSocket,
        boolean detach,
        String pidFile,
        String cwd,
        List<String> env,
        String user,
        List<Long> additionalGids,
        List<String> caps,
        boolean noNewPrivs,
        String apparmor,
        String processLabel,
        int preserveFds,
        boolean ignorePaused,
        String cgroup) {}
