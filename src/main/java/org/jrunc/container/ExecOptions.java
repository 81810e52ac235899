package org.jrunc.container;

import java.util.List;

/** The options of `exec`, as runc spells them. */
public record ExecOptions(
        String id,
        String processFile,
        List<String> args,
        boolean tty,
        String consoleSocket,
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
