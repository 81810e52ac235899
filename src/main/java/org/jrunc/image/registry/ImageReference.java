package org.jrunc.image.registry;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jrunc.sif.OciDigest;

/**
 * A docker-style image reference, normalized as docker and podman do: "busybox" is
 * docker.io/library/busybox:latest. The first path component is a registry host when it has a '.' or ':', is
 * "localhost", or has an upper-case letter (which no repository component may have).
 */
public record ImageReference(String registry, String repository, Optional<String> tag, Optional<OciDigest> digest) {
    public static final String DOCKER_HUB = "docker.io";
    private static final String DOCKER_HUB_API = "registry-1.docker.io";
    private static final String DEFAULT_TAG = "latest";
    /** The grammar of github.com/distribution/reference. */
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final int MAX_NAME = 255;

    public ImageReference {
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = Optional.of(DEFAULT_TAG);
        }
    }

    public static ImageReference parse(String text) {
        if (text.isEmpty()) {
            throw invalid(text, "empty image reference");
        }
        String rest = text;
        Optional<OciDigest> digest = Optional.empty();
        int at = rest.indexOf('@');
        if (at >= 0) {
            String digestText = rest.substring(at + 1);
            digest = Optional.of(OciDigest.parse(digestText)
                    .orElseThrow(() -> invalid(text, "unsupported or malformed digest \"" + digestText + "\"")));
            rest = rest.substring(0, at);
        }
        Optional<String> tag = Optional.empty();
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            String tagText = rest.substring(colon + 1);
            if (!TAG.matcher(tagText).matches()) {
                throw invalid(text, "invalid tag \"" + tagText + "\"");
            }
            tag = Optional.of(tagText);
            rest = rest.substring(0, colon);
        }
        String registry = DOCKER_HUB;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash >= 0 && isHost(rest.substring(0, slash))) {
            registry = rest.substring(0, slash);
            path = rest.substring(slash + 1);
            if (!HOST.matcher(registry).matches()) {
                throw invalid(text, "invalid registry host \"" + registry + "\"");
            }
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        checkRepository(text, path);
        if (registry.equals(DOCKER_HUB) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (registry.length() + 1 + path.length() > MAX_NAME) {
            throw invalid(text, "repository name is longer than " + MAX_NAME + " characters");
        }
        return new ImageReference(registry, path, tag, digest);
    }

    private static boolean isHost(String component) {
        return component.contains(".")
                || component.contains(":")
                || component.equals("localhost")
                || !component.toLowerCase(Locale.ROOT).equals(component);
    }

    private static void checkRepository(String text, String path) {
        if (path.isEmpty()) {
            throw invalid(text, "no repository name");
        }
        for (String component : path.split("/", -1)) {
            if (COMPONENT.matcher(component).matches()) {
                continue;
            }
            if (COMPONENT.matcher(component.toLowerCase(Locale.ROOT)).matches()) {
                throw invalid(text, "repository name must be lowercase");
            }
            throw invalid(text, "invalid repository name component \"" + component + "\"");
        }
    }

    private static RegistryException invalid(String text, String detail) {
        return new RegistryException("invalid image reference \"" + text + "\": " + detail);
    }

    /** What the registry's /v2/REPO/manifests/ path names: the digest when there is one, else the tag. */
    public String reference() {
        return digest.map(OciDigest::toString).orElseGet(() -> tag.orElse(DEFAULT_TAG));
    }

    /** The host that serves the registry API: Docker Hub's name differs from the registry users write. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? DOCKER_HUB_API : registry;
    }

    public ImageReference withDigest(OciDigest d) {
        return new ImageReference(registry, repository, tag, Optional.of(d));
    }

    @Override
    public String toString() {
        return registry + "/" + repository + tag.map(t -> ":" + t).orElse("")
                + digest.map(d -> "@" + d).orElse("");
    }
}
