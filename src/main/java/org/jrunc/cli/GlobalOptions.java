package org.jrunc.cli;

import org.jrunc.JruncException;
import org.jrunc.log.Log;
import org.jrunc.namespaces.Rootless;
import org.jrunc.state.StateStore;

/** runc's global flags; filled either by picocli or by {@link FastPath}. */
public final class GlobalOptions {
    /** --root; null (or empty) for the default, which depends on the caller ({@link #store()}). */
    public String root;

    public String log = "";
    public String logFormat = "text";
    public boolean debug;
    public boolean systemdCgroup;
    public String rootless = "auto";
    /** The caller's identity, read once on first need (the hot commands given --root never read it). */
    private Rootless caller;

    /** Applies the logging flags and refuses what jrunc does not support, before any command runs. */
    public void apply() {
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new JruncException("invalid log-format: " + logFormat);
        }
        Log.configure(log, logFormat, debug);
        Rootless.parseMode(rootless);
    }

    private Rootless caller() {
        if (caller == null) {
            caller = Rootless.ofSelf();
        }
        return caller;
    }

    /**
     * --rootless resolved: true or false as given, or for auto runc's detection (an effective uid other than 0, or a
     * user namespace other than the initial one). What it decides is how cgroups are treated.
     */
    public boolean rootless() {
        return caller().decide(rootless);
    }

    /**
     * The state store: --root when given, else as runc: $XDG_RUNTIME_DIR/jrunc for a rootless caller that has the
     * variable, else /run/jrunc. The reason for a default root goes with it, for the one line that names it when the
     * directory cannot be made.
     */
    public StateStore store() {
        if (root != null && !root.isEmpty()) {
            return new StateStore(root);
        }
        Rootless who = caller();
        String xdg = System.getenv("XDG_RUNTIME_DIR");
        if (who.honoursXdgRuntimeDir(System.getenv("USER"))) {
            if (xdg != null && !xdg.isEmpty()) {
                return StateStore.underXdgRuntimeDir(xdg);
            }
            return new StateStore(
                    StateStore.DEFAULT_ROOT,
                    "XDG_RUNTIME_DIR is not set and " + StateStore.DEFAULT_ROOT
                            + " is root's: set XDG_RUNTIME_DIR or give --root");
        }
        return new StateStore(StateStore.DEFAULT_ROOT);
    }
}
