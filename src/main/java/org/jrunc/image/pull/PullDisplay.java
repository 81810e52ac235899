package org.jrunc.image.pull;

import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/**
 * What a pull shows on stderr: bars redrawn in place on a terminal ({@link TerminalDisplay}), a line per finished
 * blob and step otherwise ({@link LineDisplay}), nothing with --quiet ({@link QuietDisplay}).
 */
public interface PullDisplay extends AutoCloseable {
    /** A blob transfer about to start; the returned progress is fed from the downloading thread. */
    BlobProgress blob(OciDescriptor blob);

    /** A blob that was already in the cache. */
    void cached(OciDescriptor blob);

    /** A step after the transfers ("Squashing 3 layers", ...). */
    void step(String message);

    /** Stops redrawing; the display's last state stays on screen. */
    @Override
    void close();
}
