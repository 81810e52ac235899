package org.jrunc.image.pull;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/** One blob's transfer as the displays see it: bytes so far against its size, and since when. */
final class Transfer implements BlobProgress {
    private final OciDescriptor blob;
    private final AtomicLong bytes = new AtomicLong();
    private final long startNanos = System.nanoTime();
    private volatile long endNanos;
    private final Consumer<Transfer> onDone;

    Transfer(OciDescriptor blob, Consumer<Transfer> onDone) {
        this.blob = blob;
        this.onDone = onDone;
    }

    @Override
    public void transferred(long n) {
        if (bytes.addAndGet(n) >= blob.size() && endNanos == 0) {
            endNanos = System.nanoTime();
            onDone.accept(this);
        }
    }

    @Override
    public void restarted() {
        bytes.set(0);
    }

    OciDescriptor blob() {
        return blob;
    }

    long bytes() {
        return Math.min(bytes.get(), blob.size());
    }

    boolean done() {
        return endNanos != 0;
    }

    double seconds() {
        long end = endNanos != 0 ? endNanos : System.nanoTime();
        return Math.max(1e-3, (end - startNanos) / 1e9);
    }

    /** "sha256:0123456789ab", the short form podman and skopeo print. */
    String shortDigest() {
        return blob.digest().shortForm();
    }
}
