package org.jrunc.cli;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jrunc.image.cache.CacheLocation;
import org.jrunc.image.cache.ImageCache;
import org.jrunc.image.pull.ImagePull;
import org.jrunc.image.pull.LineDisplay;
import org.jrunc.image.pull.PullDisplay;
import org.jrunc.image.pull.QuietDisplay;
import org.jrunc.image.pull.TerminalDisplay;
import org.jrunc.image.registry.Credentials;
import org.jrunc.image.registry.RegistryClient;
import org.jrunc.image.registry.RegistryOptions;
import org.jrunc.image.source.PlatformChoice;
import org.jrunc.image.squash.SquashOptions;
import org.jrunc.namespaces.Rootless;
import org.jrunc.sys.Syscalls;
import picocli.CommandLine.Option;

/**
 * The flags `pull` and `mount SOURCE` share, and this host's wiring of a pull: the cache for this caller, the
 * registry client, and the display stderr calls for.
 */
final class ImagePulls {
    /** docker and containerd download three layers at a time. */
    static final int PARALLEL_BLOBS = 3;

    @Option(
            names = "--platform",
            paramLabel = "OS/ARCH[/VARIANT]",
            description = "the image to take from a multi-platform index (default: this host's)")
    String platform;

    @Option(
            names = "--tls-verify",
            arity = "0..1",
            fallbackValue = "true",
            paramLabel = "BOOL",
            description = "require HTTPS and verify certificates (default true); false also allows plain HTTP")
    boolean tlsVerify = true;

    @Option(
            names = "--authfile",
            paramLabel = "FILE",
            description = "registry credentials (default: $REGISTRY_AUTH_FILE, containers/auth.json,"
                    + " ~/.docker/config.json)")
    Path authfile;

    /** Whether any flag was given, for `mount` of a file, where they would mean nothing. */
    boolean anyGiven() {
        return platform != null || !tlsVerify || authfile != null;
    }

    /** A pull showing progress on {@code display}, which the caller closes. */
    ImagePull pull(PullDisplay display) {
        Map<String, String> env = System.getenv();
        Rootless self = Rootless.ofSelf();
        ImageCache cache = openCache(env, self);
        ImagePull.Settings settings = new ImagePull.Settings(
                platform == null ? PlatformChoice.host() : PlatformChoice.parse(platform),
                new SquashOptions(!self.rootless()),
                PARALLEL_BLOBS);
        Optional<Path> auth = Optional.ofNullable(authfile);
        return new ImagePull(
                cache,
                settings,
                () -> new RegistryClient(
                        RegistryOptions.defaults(Credentials.load(auth, env)).withTlsVerify(tlsVerify)),
                display);
    }

    /** This caller's image cache, as `pull`, `mount SOURCE` and `cache` use it. */
    static ImageCache openCache() {
        return openCache(System.getenv(), Rootless.ofSelf());
    }

    private static ImageCache openCache(Map<String, String> env, Rootless self) {
        return ImageCache.open(CacheLocation.resolve(env, self.rootless()));
    }

    static PullDisplay display(Syscalls sys, boolean quiet) {
        if (quiet) {
            return new QuietDisplay();
        }
        String term = System.getenv("TERM");
        if (sys.isatty(2) && term != null && !term.equals("dumb")) {
            return new TerminalDisplay(System.err);
        }
        return new LineDisplay(System.err);
    }
}
