package org.jrunc.sys;

/**
 * Starts JNA's initialisation (~25 ms: its native library, its FFI type table, libc's registration) on a background
 * thread, for a call that will need it but has Java-only work to do first: create reads and plans config.json before
 * its first system call, and on two cores the two overlap. {@link LinuxSyscalls#get} waits for it through class
 * initialisation. A class of its own, and no lambda: calling a static method of LinuxSyscalls would initialise it on
 * the calling thread, which is the work to move off it.
 */
public final class JnaWarmUp implements Runnable {
    private JnaWarmUp() {}

    public static void start() {
        Thread t = new Thread(new JnaWarmUp(), "jna-warm-up");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void run() {
        LinuxSyscalls.get();
    }
}
