package org.jrunc.container;

import java.io.ByteArrayOutputStream;
import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.jrunc.JruncException;
import org.jrunc.hooks.HookPhases;
import org.jrunc.json.JsonWriter;
import org.jrunc.log.Log;
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

    /**
     * The runtime-spec: "If a poststart hook fails, the runtime MUST log a warning, but the remaining hooks and
     * lifecycle continue". runc fails `start` and kills the container; crun follows the spec, and so does jrunc.
     */
    private void runPoststart(ContainerRecord r) {
        Syscalls sys = host.syscalls().get();
        String state = JsonWriter.compact(StateView.forHooks(r, "running", r.initPid));
        HookPhases hooks = host.hooks().over(sys);
        for (String failure : hooks.runAllReportingFailures("poststart", r.poststartHooks, state)) {
            Log.warn(failure);
        }
    }

    /**
     * Opening a fifo for reading blocks until a writer appears; the init is that writer. After its byte, end of file
     * comes when the init's execve (or its death) closes its end: by then the process runs.
     * Should the init die before it opens the fifo, a watchdog opens the fifo itself ({@link #unblock}), so the open
     * returns and the read sees end of file.
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
        if (!fifoReader.reason().isEmpty()) {
            throw new JruncException("the container process did not start: " + fifoReader.reason());
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
        /** More than any one-line reason; the rest is read and dropped. */
        private static final int REASON_LIMIT = 16 * 1024;

        private final Path fifo;
        private final ByteArrayOutputStream reason = new ByteArrayOutputStream();
        private volatile int first = -2;
        private volatile IOException failure;

        FifoReader(Path fifo) {
            this.fifo = fifo;
        }

        @Override
        public void run() {
            try (FileInputStream in = new FileInputStream(fifo.toFile())) {
                first = in.read();
                byte[] buf = new byte[4096];
                int n;
                // after its "0" the init writes nothing more unless it fails before execve (ContainerInit
                // .reportToStart); end of file comes with the execve
                while (first == '0' && (n = in.read(buf)) >= 0) {
                    reason.write(buf, 0, Math.max(0, Math.min(n, REASON_LIMIT - reason.size())));
                }
            } catch (IOException e) {
                failure = e;
            }
        }

        /** Why the container process did not start, as its init reported it; empty when it did. */
        String reason() {
            return reason.toString(StandardCharsets.UTF_8).trim();
        }
    }

    /**
     * Gives a reader blocked on exec.fifo a writer and then end of file. Opened read-write, which never blocks on a
     * Linux fifo: opened for writing only it would wait for a reader, and when the reader thread has already let go
     * of the fifo (it saw the dead init's end of file and is finishing) there is none, so `start` waited forever.
     * No CREATE: a fifo already removed stays removed.
     */
    static void unblock(Path fifo) {
        try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // opening is all it takes; closing gives the reader end of file
        } catch (IOException e) {
            // the fifo is gone, and so is any reader
        }
    }
}
