package org.jrunc.spectest.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.spectest.Jrunc;

/**
 * skopeo against the test registries, which speak plain HTTP on 127.0.0.1: every call has TLS verification off on the
 * registry side and the host's policy.json (insecureAcceptAnything on Debian) replaced by --insecure-policy.
 */
public final class Skopeo {
    private static final int TIMEOUT_SECONDS = 300;

    private Skopeo() {}

    /**
     * {@code skopeo copy --all --preserve-digests} of an OCI layout's tag to {@code docker://REFERENCE}: the registry
     * serves the layout's own manifests and blobs (without --preserve-digests skopeo gzips uncompressed layers).
     */
    public static Jrunc.Result push(OciLayout layout, String reference, Optional<Credentials> credentials) {
        return Jrunc.raw(pushCommand(layout, reference, credentials), Map.of(), null, TIMEOUT_SECONDS);
    }

    /** The command line of {@link #push}, for a caller that runs it elsewhere (in a network namespace). */
    public static List<String> pushCommand(OciLayout layout, String reference, Optional<Credentials> credentials) {
        List<String> args = new ArrayList<>(List.of("copy", "--all", "--preserve-digests", "--dest-tls-verify=false"));
        credentials.ifPresent(c -> args.addAll(List.of("--dest-creds", c.skopeoCreds())));
        args.addAll(List.of(layout.transportReference(), "docker://" + reference));
        return command(args);
    }

    /** {@code skopeo copy docker://REFERENCE oci:DIR:TAG}: the host's platform out of an index, as Singularity does. */
    public static Jrunc.Result pullToLayout(String reference, Path dir, String tag, Optional<Credentials> credentials)
            throws IOException {
        return copyToLayout(reference, dir, tag, credentials, List.of());
    }

    /**
     * {@link #pullToLayout} with every layer recompressed to gzip (the tar inside unchanged), for umoci 0.4.7, which
     * reads no zstd layers.
     */
    public static Jrunc.Result pullToGzipLayout(
            String reference, Path dir, String tag, Optional<Credentials> credentials) throws IOException {
        return copyToLayout(reference, dir, tag, credentials, List.of("--dest-compress-format", "gzip"));
    }

    private static Jrunc.Result copyToLayout(
            String reference, Path dir, String tag, Optional<Credentials> credentials, List<String> options)
            throws IOException {
        Files.createDirectories(dir.getParent());
        List<String> args = new ArrayList<>(List.of("copy", "--src-tls-verify=false"));
        args.addAll(options);
        credentials.ifPresent(c -> args.addAll(List.of("--src-creds", c.skopeoCreds())));
        args.addAll(List.of("docker://" + reference, "oci:" + dir + ":" + tag));
        return run(args);
    }

    /** {@code skopeo inspect --raw docker://REFERENCE}: the manifest (or index) exactly as the registry serves it. */
    public static Jrunc.Result inspectRaw(String reference, Optional<Credentials> credentials) {
        List<String> args = new ArrayList<>(List.of("inspect", "--raw", "--tls-verify=false"));
        credentials.ifPresent(c -> args.addAll(List.of("--creds", c.skopeoCreds())));
        args.add("docker://" + reference);
        return run(args);
    }

    /** Any skopeo command line (after the global --insecure-policy). */
    public static Jrunc.Result run(List<String> args) {
        return Jrunc.raw(command(args), Map.of(), null, TIMEOUT_SECONDS);
    }

    private static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--insecure-policy"));
        cmd.addAll(args);
        return cmd;
    }

    /** {@link #run}, failing with skopeo's stderr unless it exits 0. */
    static Jrunc.Result runOk(List<String> args) {
        Jrunc.Result r = run(args);
        if (r.exit() != 0) {
            throw new AssertionError("skopeo " + args + " failed: " + r.err());
        }
        return r;
    }
}
