package org.jrunc.hooks;

import java.util.List;

/**
 * One hook to run: an absolute path, argv (args[0] included, which may differ from the path), its environment (null
 * means "the runtime's own", as runc does) and a timeout in seconds (0 = none).
 */
public record HookSpec(String path, List<String> args, List<String> env, int timeoutSeconds) {

    /** argv for execve: the hook's args, or just its path when args are absent. */
    public String[] argv() {
        if (args == null || args.isEmpty()) {
            return new String[] {path};
        }
        return args.toArray(new String[0]);
    }
}
