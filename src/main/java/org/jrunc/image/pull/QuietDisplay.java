package org.jrunc.image.pull;

import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/** --quiet: errors only, which the CLI prints itself. */
public final class QuietDisplay implements PullDisplay {
    @Override
    public BlobProgress blob(OciDescriptor blob) {
        return BlobProgress.NONE;
    }

    @Override
    public void cached(OciDescriptor blob) {}

    @Override
    public void step(String message) {}

    @Override
    public void close() {}
}
