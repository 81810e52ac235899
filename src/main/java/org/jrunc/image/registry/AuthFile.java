package org.jrunc.image.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;

/**
 * One podman auth.json or docker config.json: {@code auths} (base64 "user:password" or an identity token per key),
 * {@code credHelpers} (a helper per registry) and {@code credsStore} (a helper for every other registry). Keys of
 * {@code auths} are "host", "host/namespace/repo" or a legacy URL such as "https://index.docker.io/v1/".
 */
final class AuthFile {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Path path;
    private final Map<String, BasicCredentials> auths;
    private final Map<String, CredentialHelper> helpers;
    private final Optional<CredentialHelper> store;

    private AuthFile(
            Path path,
            Map<String, BasicCredentials> auths,
            Map<String, CredentialHelper> helpers,
            Optional<CredentialHelper> store) {
        this.path = path;
        this.auths = auths;
        this.helpers = helpers;
        this.store = store;
    }

    Path path() {
        return path;
    }

    static AuthFile read(Path path, Optional<String> searchPath) {
        JsonNode root;
        try {
            root = MAPPER.readTree(Files.readAllBytes(path));
        } catch (JsonProcessingException e) {
            throw new RegistryException(path + ": invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new RegistryException(path + ": cannot read: " + JruncException.reason(e), e);
        }
        if (root == null || !root.isObject()) {
            throw new RegistryException(path + ": expected a JSON object");
        }
        Map<String, BasicCredentials> auths = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(root, "auths", path).entrySet()) {
            entry(path, e.getKey(), e.getValue()).ifPresent(c -> auths.put(e.getKey(), c));
        }
        Map<String, CredentialHelper> helpers = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : object(root, "credHelpers", path).entrySet()) {
            if (!e.getValue().isTextual()) {
                throw new RegistryException(path + ": credHelpers.\"" + e.getKey() + "\" is not a string");
            }
            helpers.put(e.getKey(), new CredentialHelper(e.getValue().asText(), path.toString(), searchPath));
        }
        JsonNode storeNode = root.get("credsStore");
        Optional<CredentialHelper> store = Optional.empty();
        if (storeNode != null && !storeNode.isNull()) {
            if (!storeNode.isTextual()) {
                throw new RegistryException(path + ": credsStore is not a string");
            }
            if (!storeNode.asText().isEmpty()) {
                store = Optional.of(new CredentialHelper(storeNode.asText(), path.toString(), searchPath));
            }
        }
        return new AuthFile(path, auths, helpers, store);
    }

    /**
     * The credentials for {@code repository} on {@code registry}, as containers/image finds them: the registry's
     * credential helper; else the most specific "auths" key (host/a/b, host/a, host), then a legacy URL key for the
     * host; else the file's credsStore. Empty when this file has nothing for the registry.
     */
    Optional<BasicCredentials> find(String registry, String repository) {
        for (Map.Entry<String, CredentialHelper> e : helpers.entrySet()) {
            if (normalizedKey(e.getKey()).equals(registry)) {
                return e.getValue().get(helperServer(registry));
            }
        }
        for (String key : keysFromMostSpecific(registry, repository)) {
            BasicCredentials c = auths.get(key);
            if (c != null) {
                return Optional.of(c);
            }
        }
        for (Map.Entry<String, BasicCredentials> e : auths.entrySet()) {
            if (normalizedKey(e.getKey()).equals(registry)) {
                return Optional.of(e.getValue());
            }
        }
        return store.flatMap(helper -> helper.get(helperServer(registry)));
    }

    private static List<String> keysFromMostSpecific(String registry, String repository) {
        List<String> keys = new ArrayList<>();
        String key = repository.isEmpty() ? registry : registry + "/" + repository;
        while (true) {
            keys.add(key);
            int slash = key.lastIndexOf('/');
            if (slash < 0) {
                return keys;
            }
            key = key.substring(0, slash);
        }
    }

    /** "https://index.docker.io/v1/" and "http://quay.io" as the host they stand for. */
    static String normalizedKey(String key) {
        String host = key;
        int scheme = host.indexOf("://");
        if (scheme >= 0) {
            host = host.substring(scheme + 3);
            int slash = host.indexOf('/');
            host = slash < 0 ? host : host.substring(0, slash);
        }
        return host.equals("index.docker.io") || host.equals("registry-1.docker.io") ? ImageReference.DOCKER_HUB : host;
    }

    /** What docker sends a helper: Docker Hub by its legacy URL (which `docker login` stores under), else the host. */
    private static String helperServer(String registry) {
        return registry.equals(ImageReference.DOCKER_HUB) ? "https://index.docker.io/v1/" : registry;
    }

    private static Optional<BasicCredentials> entry(Path path, String key, JsonNode value) {
        String where = path + ": auths.\"" + key + "\"";
        if (!value.isObject()) {
            throw new RegistryException(where + " is not an object");
        }
        String source = path.toString();
        JsonNode token = value.get("identitytoken");
        if (token != null
                && !token.isNull()
                && !(token.isTextual() && token.asText().isEmpty())) {
            if (!token.isTextual()) {
                throw new RegistryException(where + ".identitytoken is not a string");
            }
            return Optional.of(BasicCredentials.identityToken("", token.asText(), source));
        }
        JsonNode auth = value.get("auth");
        if (auth == null || auth.isNull() || (auth.isTextual() && auth.asText().isEmpty())) {
            return Optional.empty(); // docker writes {} for hosts whose secret is in credsStore
        }
        if (!auth.isTextual()) {
            throw new RegistryException(where + ".auth is not a string");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(auth.asText().strip()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new RegistryException(where + ".auth is not valid base64");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new RegistryException(where + ".auth is not base64 of \"user:password\"");
        }
        return Optional.of(
                BasicCredentials.password(decoded.substring(0, colon), decoded.substring(colon + 1), source));
    }

    private static Map<String, JsonNode> object(JsonNode root, String field, Path path) {
        JsonNode node = root.get(field);
        Map<String, JsonNode> result = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return result;
        }
        if (!node.isObject()) {
            throw new RegistryException(path + ": " + field + " is not an object");
        }
        node.properties().forEach(e -> result.put(e.getKey(), e.getValue()));
        return result;
    }
}
