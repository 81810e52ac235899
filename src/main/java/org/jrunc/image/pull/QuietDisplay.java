package org.jrunc.image.pull;

import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/** --quiet: errors only, which the CLI prints itself. */
public final class QuietDisplay implements PullDisplay {
    private static final BlobProgress SILENT = new BlobProgress() {
        @Override
        public void transferred(long bytes) {}

        @Override
        public void restarted() {}
    };

    @Override
    public BlobProgress blob(OciDescriptor blob) {
        return SILENT;
    }

    @Override
    public void cached(OciDescriptor blob) {}

    @Override
    public void step(String message) {}

    @Override
    public void close() {}
}
