package org.jrunc.cli;

import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.state.StateStore;

/** runc's global flags; filled either by picocli or by {@link FastPath}. */
public final class GlobalOptions {
    public String root = StateStore.DEFAULT_ROOT;
    public String log = "";
    public String logFormat = "text";
    public boolean debug;
    public boolean systemdCgroup;
    public String rootless = "auto";

    /** Applies the logging flags and refuses what jrunc does not support, before any command runs. */
    public void apply() {
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new JruncException("invalid log-format: " + logFormat);
        }
        Log.configure(log, logFormat, debug);
        if (systemdCgroup) {
            throw new JruncException("--systemd-cgroup is not supported by jrunc: there is no systemd cgroup driver; "
                    + "use the cgroupfs driver (cgroupsPath as a path)");
        }
        if (rootless.equals("true")) {
            throw new JruncException("--rootless=true is not supported by jrunc: run it as root");
        }
        if (!rootless.equals("auto") && !rootless.equals("false")) {
            throw new JruncException("invalid value for --rootless: " + rootless);
        }
    }

    public StateStore store() {
        return new StateStore(root);
    }
}
