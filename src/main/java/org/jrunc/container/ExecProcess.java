package org.jrunc.container;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.config.Capabilities;
import org.jrunc.config.ProcessConfig;
import org.jrunc.config.SpecLoader;
import org.jrunc.config.User;

/**
 * The process `exec` runs: the --process file as it is, or the container's own process with runc's flag overrides
 * (args, --cwd, --env appended, --user, --additional-gids, --cap added to every set, --no-new-privs, --tty,
 * --apparmor, --process-label).
 */
final class ExecProcess {
    private ExecProcess() {}

    static ProcessConfig of(ExecOptions o, ProcessConfig container) {
        if (o.processFile() != null && !o.processFile().isEmpty()) {
            if (!o.args().isEmpty()) {
                throw new JruncException("exec: give either --process or a command, not both");
            }
            return SpecLoader.read(Path.of(o.processFile()), ProcessConfig.class);
        }
        if (o.args().isEmpty()) {
            throw new JruncException("exec: no command given (and no --process file)");
        }
        List<String> env = new ArrayList<>(container == null ? List.of() : container.envOrEmpty());
        env.addAll(o.env());
        User base =
                container == null || container.user() == null ? new User(0L, 0L, null, null, null) : container.user();
        User user = user(o, base);
        Capabilities caps = container == null ? null : container.capabilities();
        if (!o.caps().isEmpty()) {
            caps = withCaps(caps, o.caps());
        }
        String cwd = o.cwd() != null && !o.cwd().isEmpty() ? o.cwd() : container == null ? "/" : container.cwd();
        boolean nnp = o.noNewPrivs() || (container != null && container.isNoNewPrivileges());
        String apparmor = o.apparmor() != null ? o.apparmor() : container == null ? null : container.apparmorProfile();
        String label =
                o.processLabel() != null ? o.processLabel() : container == null ? null : container.selinuxLabel();
        return new ProcessConfig(
                o.tty(),
                null,
                user,
                o.args(),
                null,
                env,
                cwd,
                caps,
                container == null ? null : container.rlimits(),
                nnp,
                apparmor,
                null,
                container == null ? null : container.scheduler(),
                label,
                container == null ? null : container.ioPriority(),
                null);
    }

    /** --user uid[:gid] (numeric: names would need the container's passwd), --additional-gids replace the list. */
    private static User user(ExecOptions o, User base) {
        Long uid = base.uid();
        Long gid = base.gid();
        if (o.user() != null && !o.user().isEmpty()) {
            String[] parts = o.user().split(":", 2);
            try {
                uid = Long.parseLong(parts[0]);
                gid = parts.length > 1 ? Long.parseLong(parts[1]) : gid;
            } catch (NumberFormatException e) {
                throw new JruncException("exec: --user " + o.user() + ": only numeric uid[:gid] is supported");
            }
        }
        List<Long> groups = o.additionalGids().isEmpty() ? base.additionalGids() : o.additionalGids();
        return new User(uid, gid, base.umask(), groups, null);
    }

    private static Capabilities withCaps(Capabilities base, List<String> add) {
        return new Capabilities(
                plus(base == null ? null : base.bounding(), add),
                plus(base == null ? null : base.effective(), add),
                plus(base == null ? null : base.inheritable(), add),
                plus(base == null ? null : base.permitted(), add),
                plus(base == null ? null : base.ambient(), add));
    }

    private static List<String> plus(List<String> set, List<String> add) {
        List<String> out = new ArrayList<>(set == null ? List.of() : set);
        for (String c : add) {
            if (!out.contains(c)) {
                out.add(c);
            }
        }
        return out;
    }
}
