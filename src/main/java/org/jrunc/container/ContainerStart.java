package org.jrunc.container;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.jrunc.JruncException;
import org.jrunc.hooks.HookPhases;
import org.jrunc.json.JsonWriter;
import org.jrunc.process.Signals;
import org.jrunc.state.ContainerRecord;
import org.jrunc.state.StateStore;
import org.jrunc.state.StateView;
import org.jrunc.state.Status;
import org.jrunc.sys.Syscalls;

/**
 * `start`: opens exec.fifo for reading, which releases the init blocked on it, reads the byte it writes, and removes
 * the fifo (so the status becomes running). Plain Java I/O only: no native call is needed, which keeps `start` fast.
 * The poststart hooks run afterwards; those need JNA, but only when there are any.
 */
public final class ContainerStart {
    private final ContainerHost host;
    private final StateStore store;

    public ContainerStart(ContainerHost host) {
        this.host = host;
        this.store = host.store();
    }

    public ContainerRecord start(String id) {
        ContainerRecord r = store.load(id);
        Status s = host.probe().status(r, store.fifo(id));
        switch (s) {
            case CREATED:
                break;
            case STOPPED:
                throw new JruncException("cannot start a container that has stopped");
            case RUNNING:
                throw new JruncException("cannot start an already running container");
            default:
                throw new JruncException("cannot start a container in the " + s.value() + " state");
        }
        releaseInit(r, store.fifo(id));
        if (!r.poststartHooks.isEmpty()) {
            runPoststart(r);
        }
        return r;
    }

    /** A failing poststart hook is an error after the start; like runc, the container is killed. */
    private void runPoststart(ContainerRecord r) {
        Syscalls sys = host.syscalls().get();
        String state = JsonWriter.compact(StateView.forHooks(r, "running", r.initPid));
        try {
            HookPhases hooks = host.hooks().over(sys);
            hooks.runAll("poststart", r.poststartHooks, state);
        } catch (RuntimeException e) {
            host.processes().signal(r.initPid, Signals.SIGKILL);
            throw e;
        }
    }

    /**
     * Opening a fifo for reading blocks until a writer appears; the init is that writer. After its byte, end of file
     * comes when the init's execve (or its death) closes its end: by then the process is in the container's cgroups.
     * Should the init die before it opens the fifo, a watchdog opens the fifo for writing itself, so the open returns
     * and the read sees end of file.
     */
    private void releaseInit(ContainerRecord r, Path fifo) {
        FifoReader fifoReader = new FifoReader(fifo);
        Thread reader = new Thread(fifoReader, "exec-fifo");
        reader.setDaemon(true);
        reader.start();
        try {
            while (reader.isAlive()) {
                reader.join(50);
                if (reader.isAlive() && !host.probe().initAlive(r)) {
                    unblock(fifo);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException("interrupted while starting the container");
        }
        if (fifoReader.failure != null) {
            throw new JruncException("exec fifo " + fifo + ": " + fifoReader.failure.getMessage());
        }
        if (fifoReader.first != '0') {
            throw new JruncException("container init did not signal execve readiness (it exited)");
        }
        try {
            Files.deleteIfExists(fifo);
        } catch (IOException e) {
            throw new JruncException("cannot remove " + fifo + ": " + e.getMessage());
        }
    }

    /**
     * Reads the init's byte, then waits for end of file. A named class rather than a lambda: the AOT training run
     * cannot start a container, but it can load this class, so `start` does not spin a lambda at every call.
     */
    static final class FifoReader implements Runnable {
        private final Path fifo;
        private volatile int first = -2;
        private volatile IOException failure;

        FifoReader(Path fifo) {
            this.fifo = fifo;
        }

        @Override
        public void run() {
            try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                first = in.read();
                while (first == '0' && in.read() >= 0) {
                    // nothing else is written: wait for the execve
                }
            } catch (IOException e) {
                failure = e;
            }
        }
    }

    private static void unblock(Path fifo) {
        try (FileOutputStream out = new FileOutputStream(fifo.toFile())) {
            // opening is all it takes; closing gives the reader end of file
        } catch (IOException e) {
            // the reader is gone too
        }
    }
}
