package org.jrunc.container;

import org.jrunc.JruncException;
import org.jrunc.attach.AttachSession;
import org.jrunc.attach.AttachSocket;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.sys.SyscallException;
import org.jrunc.sys.Syscalls;

/** `attach ID` (a jrunc extension): connects to the monitor of a container created with --attachable. */
public final class ContainerAttach {
    private final ContainerHost host;
    private final StateStore store;

    public ContainerAttach(ContainerHost host) {
        this.host = host;
        this.store = host.store();
    }

    /** Returns attach's exit status: the container's when it exits while attached, 0 on detach. */
    public int attach(String id, boolean relayStdin, boolean closeStdin) {
        Syscalls sys = host.syscalls().get();
        ContainerRecord r = store.load(id);
        if (r.monitorPid <= 0) {
            throw new JruncException(
                    "container " + id + " was not created with --attachable: it has no monitor to " + "attach to");
        }
        if (!host.processes().isSameLiveProcess(r.monitorPid, r.monitorStartTicks)) {
            throw new JruncException("the monitor of container " + id + " (pid " + r.monitorPid + ") is not running");
        }
        int socket;
        try {
            socket = AttachSocket.connect(sys, store.dir(id));
        } catch (SyscallException e) {
            throw new JruncException("cannot attach to container " + id + ": " + e.getMessage());
        }
        try {
            return new AttachSession(sys, socket, relayStdin, closeStdin).run();
        } finally {
            sys.close(socket);
        }
    }
}
