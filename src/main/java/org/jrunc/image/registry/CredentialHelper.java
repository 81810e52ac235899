package org.jrunc.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.jrunc.JruncException;
import org.jrunc.sys.HostPath;

/**
 * A docker credential helper, {@code docker-credential-NAME get}: the server's address on stdin, {@code {"Username",
 * "Secret"}} on stdout. {@code configuredIn} names the file that asked for it, for messages.
 */
record CredentialHelper(String name, String configuredIn, Optional<String> searchPath) {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The docker-credential-helpers protocol's answer for "nothing stored", which is not an error. */
    private static final String NOT_FOUND = "credentials not found";
    /** A helper's Username that marks the Secret as an identity (refresh) token. */
    private static final String TOKEN_USER = "<token>";

    String program() {
        return "docker-credential-" + name;
    }

    Optional<BasicCredentials> get(String serverUrl) {
        Path executable = HostPath.find(program(), searchPath)
                .orElseThrow(() ->
                        new RegistryException(configuredIn + ": credential helper " + program() + " is not on PATH"));
        Process process;
        try {
            process = new ProcessBuilder(executable.toString(), "get").start();
        } catch (IOException e) {
            throw new RegistryException(
                    "cannot run " + executable + " (from " + configuredIn + "): " + JruncException.reason(e), e);
        }
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String stdout;
        int status;
        try {
            try (OutputStream in = process.getOutputStream()) {
                in.write(serverUrl.getBytes(StandardCharsets.UTF_8));
            }
            stdout = readAll(process.getInputStream());
            status = process.waitFor();
        } catch (IOException | UncheckedIOException e) {
            process.destroyForcibly();
            throw new RegistryException(program() + " get for " + serverUrl + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RegistryException(program() + " get for " + serverUrl + ": interrupted");
        }
        String errors = stderr.join().strip();
        if (status != 0) {
            if (stdout.contains(NOT_FOUND) || errors.contains(NOT_FOUND)) {
                return Optional.empty();
            }
            String said = !errors.isEmpty() ? errors : stdout.strip();
            throw new RegistryException(program() + " get for " + serverUrl + " failed with exit status " + status
                    + (said.isEmpty() ? "" : ": " + said));
        }
        return Optional.of(parse(stdout, serverUrl));
    }

    private BasicCredentials parse(String stdout, String serverUrl) {
        String where = program() + " get for " + serverUrl;
        JsonNode node;
        try {
            node = MAPPER.readTree(stdout);
        } catch (IOException e) {
            throw new RegistryException(where + ": output is not JSON");
        }
        if (node == null || !node.isObject()) {
            throw new RegistryException(where + ": output is not a JSON object");
        }
        String username = stringField(node, "Username", where);
        String secret = stringField(node, "Secret", where);
        String source = program() + " (" + configuredIn + ")";
        return TOKEN_USER.equals(username)
                ? BasicCredentials.identityToken("", secret, source)
                : BasicCredentials.password(username, secret, source);
    }

    private static String stringField(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new RegistryException(where + ": \"" + field + "\" is missing or not a string");
        }
        return value.asText();
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
