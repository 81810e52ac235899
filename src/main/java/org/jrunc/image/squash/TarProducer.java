package org.jrunc.image.squash;

import java.io.IOException;
import java.io.OutputStream;

/** Writes one whole tar stream; {@link SquashfsBuilder} feeds it to the squashfs tool. */
@FunctionalInterface
public interface TarProducer {
    void writeTo(OutputStream tar) throws IOException;
}
