package org.jrunc.image.source;

import java.nio.file.Path;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/**
 * One source's content, brought into the image cache on demand: a pull asks for the top manifest, then the documents
 * and blobs it names, and each fetcher gets them its own way (a registry, a layout directory, an archive).
 * Whatever it returns is in the cache under its verified digest.
 */
public interface ImageFetcher extends AutoCloseable {
    /** The manifest or index the source names; its bytes are cached when this returns. */
    OciDescriptor top();

    /** A manifest or index named by {@code d}: its bytes, verified and cached. */
    byte[] document(OciDescriptor d);

    /** The cached file of a blob (a config or a layer), fetched first unless cached. */
    Path blob(OciDescriptor d, BlobProgress progress);

    /** The source as the user wrote it, for messages. */
    String where();

    /** Releases what the fetcher unpacked or opened (never the cache's content). */
    @Override
    void close();
}
