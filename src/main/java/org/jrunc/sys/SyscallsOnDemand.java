package org.jrunc.sys;

import java.util.function.Supplier;

/**
 * The Linux system calls, reached on first use. create, run and exec start JNA on a background thread
 * ({@link JnaWarmUp}) and do all they can without a system call meanwhile (planning, the state directory, the cgroup),
 * so they ask for the system-call layer only where the first call is due; naming {@link LinuxSyscalls} earlier would
 * wait for JNA there. A named class rather than {@code LinuxSyscalls::get}: these paths cannot be trained into the
 * AOT cache, and each lambda on them costs class spinning at run time.
 */
public final class SyscallsOnDemand implements Supplier<Syscalls> {
    public static final SyscallsOnDemand LINUX = new SyscallsOnDemand();

    private SyscallsOnDemand() {}

    @Override
    public Syscalls get() {
        return LinuxSyscalls.get();
    }
}
