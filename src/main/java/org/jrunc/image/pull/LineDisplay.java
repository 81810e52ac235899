package org.jrunc.image.pull;

import java.io.PrintStream;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/** Not a terminal (a log, a pipe, CI): one line per blob as it finishes, and one per step. */
public final class LineDisplay implements PullDisplay {
    private final PrintStream out;

    public LineDisplay(PrintStream out) {
        this.out = out;
    }

    @Override
    public BlobProgress blob(OciDescriptor blob) {
        Transfer transfer = new Transfer(blob, this::finished);
        if (blob.size() == 0) {
            transfer.transferred(0);
        }
        return transfer;
    }

    private void finished(Transfer t) {
        out.println("Copied blob " + t.shortDigest() + ": " + ByteSize.human(t.bytes()) + " in "
                + String.format("%.1f s", t.seconds()) + " (" + ByteSize.human(t.bytes() / t.seconds()) + "/s)");
    }

    @Override
    public void cached(OciDescriptor blob) {
        out.println("Blob " + blob.digest().shortForm() + " already cached");
    }

    @Override
    public void step(String message) {
        out.println(message);
    }

    @Override
    public void close() {
        out.flush();
    }
}
