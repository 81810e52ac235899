package org.jrunc.sys;

/**
 * A process to be cloned from the calling thread as the runtime's sibling (CLONE_PARENT): it runs no Java, only a
 * prepared {@link ForkChain} (setsid, TIOCSCTTY, execve), and inherits the thread's credentials, capabilities,
 * seccomp filter, root, working directory and the pid namespace the thread joined for its children. Built before the
 * rlimits and the filter go in, like {@link PreparedExec}; started on the same thread.
 */
public final class PreparedSibling {
    private final PreparedExec image;
    private final ForkChain chain;

    PreparedSibling(PreparedExec image, ForkChain chain) {
        this.image = image;
        this.chain = chain;
    }

    /** Without a chain, for a recording of the calls. */
    public static PreparedSibling recorded(PreparedExec image) {
        return new PreparedSibling(image, null);
    }

    public PreparedExec image() {
        return image;
    }

    ForkChain chain() {
        return chain;
    }
}
