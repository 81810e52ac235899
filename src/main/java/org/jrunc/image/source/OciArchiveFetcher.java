package org.jrunc.image.source;

import java.nio.file.Path;
import java.util.Optional;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.registry.BlobProgress;
import org.jrunc.sif.OciDescriptor;

/** An {@code oci-archive:FILE[:TAG]}: the tar of an OCI layout, unpacked into tmp/ and read as a layout. */
final class OciArchiveFetcher implements ImageFetcher {
    private final UnpackedArchive archive;
    private final LayoutFetcher layout;

    OciArchiveFetcher(ImageCache cache, Path file, Optional<String> tag, String where) {
        this.archive = UnpackedArchive.unpack(cache, file);
        this.layout = new LayoutFetcher(cache, archive.directory(), tag, where);
    }

    @Override
    public OciDescriptor top() {
        return layout.top();
    }

    @Override
    public byte[] document(OciDescriptor d) {
        return layout.document(d);
    }

    @Override
    public Path blob(OciDescriptor d, BlobProgress progress) {
        return layout.blob(d, progress);
    }

    @Override
    public String where() {
        return layout.where();
    }

    @Override
    public void close() {
        archive.close();
    }
}
