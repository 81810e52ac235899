package org.jrunc.image.registry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The credentials files podman reads, in its order (containers/image's pkg/docker/config): an explicit file
 * (--authfile, else $REGISTRY_AUTH_FILE) is the only one read, and must exist; otherwise
 * $XDG_RUNTIME_DIR/containers/auth.json (/run/containers/UID/auth.json without it),
 * $XDG_CONFIG_HOME/containers/auth.json (~/.config without it), then $DOCKER_CONFIG/config.json or
 * ~/.docker/config.json, each if it exists. The first file that has an entry for a registry wins.
 */
public final class Credentials {
    private final List<Path> searched;
    private final List<AuthFile> files;
    /** Credential helpers are processes, some asking for a passphrase: each answer is asked for once. */
    private final Map<String, Optional<BasicCredentials>> found = new HashMap<>();

    private Credentials(List<Path> searched, List<AuthFile> files) {
        this.searched = List.copyOf(searched);
        this.files = List.copyOf(files);
    }

    /** No credentials at all: anonymous pulls. */
    public static Credentials none() {
        return new Credentials(List.of(), List.of());
    }

    /** {@code env} is the environment to use (HOME, XDG_*, DOCKER_CONFIG, REGISTRY_AUTH_FILE, PATH for helpers). */
    public static Credentials load(Optional<Path> authfile, Map<String, String> env) {
        Optional<String> searchPath = Optional.ofNullable(env.get("PATH"));
        Optional<Path> explicit =
                authfile.or(() -> nonEmpty(env, "REGISTRY_AUTH_FILE").map(Path::of));
        if (explicit.isPresent()) {
            Path file = explicit.get();
            if (!Files.exists(file)) {
                throw new RegistryException(file + ": credentials file"
                        + (authfile.isPresent() ? " (--authfile)" : " ($REGISTRY_AUTH_FILE)") + " does not exist");
            }
            return new Credentials(List.of(file), List.of(AuthFile.read(file, searchPath)));
        }
        List<Path> candidates = implicitFiles(env);
        List<AuthFile> files = new ArrayList<>();
        for (Path candidate : candidates) {
            if (Files.isRegularFile(candidate)) {
                files.add(AuthFile.read(candidate, searchPath));
            }
        }
        return new Credentials(candidates, files);
    }

    private static List<Path> implicitFiles(Map<String, String> env) {
        List<Path> paths = new ArrayList<>();
        Optional<Path> home = nonEmpty(env, "HOME").map(Path::of);
        nonEmpty(env, "XDG_RUNTIME_DIR")
                .map(Path::of)
                .or(Credentials::podmanRunDirectory)
                .ifPresent(dir -> paths.add(dir.resolve("containers/auth.json")));
        nonEmpty(env, "XDG_CONFIG_HOME")
                .map(Path::of)
                .or(() -> home.map(h -> h.resolve(".config")))
                .ifPresent(dir -> paths.add(dir.resolve("containers/auth.json")));
        nonEmpty(env, "DOCKER_CONFIG")
                .map(Path::of)
                .or(() -> home.map(h -> h.resolve(".docker")))
                .ifPresent(dir -> paths.add(dir.resolve("config.json")));
        return paths;
    }

    /** containers/image's primary file without $XDG_RUNTIME_DIR is /run/containers/UID (as root under sudo). */
    private static Optional<Path> podmanRunDirectory() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Optional.of(Path.of("/run/containers", uid.toString()));
        } catch (IOException | UnsupportedOperationException e) {
            return Optional.empty();
        }
    }

    private static Optional<String> nonEmpty(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isEmpty());
    }

    /** The credentials for a whole registry (an "auths" key that is just the host, or a helper). */
    public Optional<BasicCredentials> forRegistry(String registry) {
        return forRepository(registry, "");
    }

    /** The credentials for one repository: "host/ns/repo" and "host/ns" keys take precedence over "host". */
    public synchronized Optional<BasicCredentials> forRepository(String registry, String repository) {
        String key = registry + "/" + repository;
        Optional<BasicCredentials> known = found.get(key);
        if (known == null) {
            known = lookUp(registry, repository);
            found.put(key, known);
        }
        return known;
    }

    private Optional<BasicCredentials> lookUp(String registry, String repository) {
        for (AuthFile file : files) {
            Optional<BasicCredentials> c = file.find(registry, repository);
            if (c.isPresent()) {
                return c;
            }
        }
        return Optional.empty();
    }

    /** Where credentials were looked for, for the message of a registry that asks for them. */
    public String searchedFiles() {
        return searched.isEmpty()
                ? "no credentials files"
                : searched.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}
