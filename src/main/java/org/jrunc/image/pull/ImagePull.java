package org.jrunc.image.pull;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jrunc.JruncException;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.registry.RegistryClient;
import org.jrunc.image.source.Fetchers;
import org.jrunc.image.source.ImageFetcher;
import org.jrunc.image.source.ImageResolver;
import org.jrunc.image.source.ImageSource;
import org.jrunc.image.source.PlatformChoice;
import org.jrunc.image.source.ResolvedImage;
import org.jrunc.image.squash.SquashOptions;
import org.jrunc.image.squash.SquashfsBuilder;
import org.jrunc.log.Trace;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sys.Syscalls;

/**
 * A pull: a source resolved to one image manifest for the platform, whose OCI-SIF comes from the cache, or else is
 * built there from the fetched layers (fetched a few at a time) and kept. `pull` then copies it to DEST; `mount`
 * mounts it where it is.
 */
public final class ImagePull {
    /** What every pull of a call shares: the platform, whether device nodes may be kept, how many blobs at once. */
    public record Settings(PlatformChoice platform, SquashOptions squash, int parallelBlobs) {}

    /** How long a failed pull waits for its other transfers to stop, so that they do not outlive the command. */
    private static final long STOP_SECONDS = 30;

    private final ImageCache cache;
    private final Settings settings;
    private final Supplier<RegistryClient> registry;
    private final PullDisplay display;

    public ImagePull(ImageCache cache, Settings settings, Supplier<RegistryClient> registry, PullDisplay display) {
        this.cache = cache;
        this.settings = settings;
        this.registry = registry;
        this.display = display;
    }

    /** The cached OCI-SIF of {@code source}, built first unless the cache has it for the source's manifest. */
    public Path toCache(ImageSource source) {
        try (ImageFetcher fetcher = Fetchers.open(source, cache, registry)) {
            ResolvedImage image = ImageResolver.resolve(fetcher, settings.platform());
            Trace.mark("pull", "resolved");
            Optional<Path> cached = cache.ociSif(image.manifestDescriptor().digest());
            Path sif;
            if (cached.isPresent()) {
                display.step("Using the cached OCI-SIF of "
                        + image.manifestDescriptor().digest());
                sif = cached.get();
            } else {
                SquashfsBuilder.tool();
                List<OciDescriptor> blobs = new ArrayList<>(image.manifest().layers());
                blobs.add(0, image.manifest().config());
                List<Path> files = fetchAll(fetcher, blobs);
                Trace.mark("pull", "fetched");
                int layers = image.manifest().layers().size();
                display.step("Squashing " + layers + (layers == 1 ? " layer" : " layers")
                        + " into one squashfs layer and writing the OCI-SIF");
                sif = OciSifAssembly.build(
                        cache, image, fetcher.where(), files.get(0), files.subList(1, files.size()), settings.squash());
            }
            cache.index().record(source.text(), image.top());
            return sif;
        }
    }

    /** Pulls into the cache, then puts a copy at {@code dest}; an existing DEST without --force fails first. */
    public void toFile(ImageSource source, Path dest, boolean force, Syscalls sys) {
        DestinationFile destination = new DestinationFile(sys);
        destination.check(dest, force);
        Path sif = toCache(source);
        destination.place(sif, dest, force);
        Trace.mark("pull", "placed");
    }

    private List<Path> fetchAll(ImageFetcher fetcher, List<OciDescriptor> blobs) {
        ExecutorService pool =
                Executors.newFixedThreadPool(Math.max(1, Math.min(settings.parallelBlobs(), blobs.size())), r -> {
                    Thread t = new Thread(r, "pull-blob");
                    t.setDaemon(true);
                    return t;
                });
        try {
            List<Future<Path>> futures = new ArrayList<>();
            for (OciDescriptor blob : blobs) {
                if (cache.blob(blob.digest()).isPresent()) {
                    display.cached(blob);
                }
                futures.add(pool.submit(
                        () -> cache.blob(blob.digest()).orElseGet(() -> fetcher.blob(blob, display.blob(blob)))));
            }
            List<Path> files = new ArrayList<>();
            for (Future<Path> f : futures) {
                files.add(f.get());
            }
            return files;
        } catch (ExecutionException e) {
            pool.shutdownNow();
            awaitStop(pool);
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new JruncException(fetcher.where() + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new JruncException(fetcher.where() + ": interrupted");
        } finally {
            pool.shutdownNow();
        }
    }

    /** The other transfers delete their staged files as they stop; wait for that before the command exits. */
    private static void awaitStop(ExecutorService pool) {
        try {
            pool.awaitTermination(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
