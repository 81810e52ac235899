package org.jrunc.image.source;

import java.util.function.Supplier;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.registry.RegistryClient;

/** The fetcher for a source; the registry client is made only for {@code docker://}, since it costs an HTTP stack. */
public final class Fetchers {
    private Fetchers() {}

    public static ImageFetcher open(ImageSource source, ImageCache cache, Supplier<RegistryClient> registry) {
        if (source instanceof ImageSource.Registry r) {
            return new RegistryFetcher(cache, registry.get(), r.reference());
        }
        if (source instanceof ImageSource.OciLayout l) {
            return new LayoutFetcher(cache, l.directory(), l.tag(), source.text());
        }
        if (source instanceof ImageSource.OciArchive a) {
            return new OciArchiveFetcher(cache, a.file(), a.tag(), source.text());
        }
        ImageSource.DockerArchive d = (ImageSource.DockerArchive) source;
        return new DockerArchiveFetcher(cache, d.file(), source.text());
    }
}
