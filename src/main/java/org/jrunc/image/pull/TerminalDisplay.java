package org.jrunc.image.pull;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/**
 * stderr is a terminal: a bar per blob (bytes, rate, ETA), redrawn in place five times a second by a daemon thread,
 * with the cursor moved up over the previous drawing as podman's progress bars do.
 */
public final class TerminalDisplay implements PullDisplay {
    private static final long REDRAW_MILLIS = 200;
    private static final int BAR = 24;

    private final PrintStream out;
    private final List<Transfer> transfers = new ArrayList<>();
    private final Thread painter;
    private int drawnLines;
    private boolean closed;

    public TerminalDisplay(PrintStream out) {
        this.out = out;
        this.painter = new Thread(this::paintLoop, "pull-progress");
        painter.setDaemon(true);
        painter.start();
    }

    @Override
    public synchronized BlobProgress blob(OciDescriptor blob) {
        Transfer t = new Transfer(blob, done -> {});
        transfers.add(t);
        return t;
    }

    @Override
    public synchronized void cached(OciDescriptor blob) {
        Transfer t = new Transfer(blob, done -> {});
        t.transferred(blob.size());
        transfers.add(t);
    }

    @Override
    public synchronized void step(String message) {
        repaint();
        transfers.clear();
        drawnLines = 0;
        out.println(message);
        out.flush();
    }

    @Override
    public void close() {
        synchronized (this) {
            repaint();
            closed = true;
        }
        painter.interrupt();
    }

    private void paintLoop() {
        try {
            while (true) {
                Thread.sleep(REDRAW_MILLIS);
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    repaint();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void repaint() {
        if (closed || transfers.isEmpty()) {
            return;
        }
        StringBuilder frame = new StringBuilder();
        if (drawnLines > 0) {
            frame.append("\033[").append(drawnLines).append('A');
        }
        for (Transfer t : transfers) {
            frame.append("\r\033[2K").append(line(t)).append('\n');
        }
        drawnLines = transfers.size();
        out.print(frame);
        out.flush();
    }

    static String line(Transfer t) {
        long size = t.blob().size();
        long bytes = t.bytes();
        int filled = size == 0 ? BAR : (int) (BAR * bytes / size);
        String bar = "=".repeat(filled) + (filled < BAR ? ">" + " ".repeat(BAR - filled - 1) : "");
        double rate = bytes / t.seconds();
        String tail;
        if (t.done()) {
            tail = "done in " + String.format("%.1f s", t.seconds());
        } else {
            long eta = rate <= 0 ? -1 : (long) Math.ceil((size - bytes) / rate);
            tail = ByteSize.human(rate) + "/s  ETA " + (eta < 0 ? "--" : eta + "s");
        }
        return String.format(
                "Copying blob %s [%s] %s / %s  %s",
                t.shortDigest(), bar, ByteSize.human(bytes), ByteSize.human(size), tail);
    }
}
