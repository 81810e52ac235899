package org.jrunc.image.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import javax.net.ssl.SSLException;

/**
 * The token server of a Bearer challenge (the distribution spec's token authentication): a GET of
 * {@code realm?service=S&scope=repository:REPO:pull}, with Basic credentials when there are some, or, for an identity
 * token, the OAuth2 POST with {@code grant_type=refresh_token}. The answer's "token" (or "access_token") is valid for
 * "expires_in" seconds, 60 when it does not say.
 */
final class TokenServer {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final long DEFAULT_LIFETIME_SECONDS = 60;
    private static final int MAX_TOKEN_RESPONSE = 1024 * 1024;
    /** The OAuth2 client id sent with a refresh token, as containers/image sends its own name. */
    private static final String CLIENT_ID = "jrunc";

    private final Transport transport;
    private final Clock clock;
    private final AuthChallenge challenge;

    TokenServer(Transport transport, Clock clock, AuthChallenge challenge) {
        this.transport = transport;
        this.clock = clock;
        this.challenge = challenge;
    }

    /** {@code context} says where credentials were looked for, for the message of a refusal without them. */
    BearerToken fetch(ImageReference ref, String scope, Optional<BasicCredentials> credentials, String context)
            throws TransientFailure {
        String realm = challenge
                .parameter("realm")
                .orElseThrow(() -> RegistryException.of(ref, "the registry's Bearer challenge has no realm"));
        Map<String, String> form = new LinkedHashMap<>();
        challenge.parameter("service").ifPresent(s -> form.put("service", s));
        form.put("scope", scope);
        HttpRequest request;
        if (credentials.isPresent() && credentials.get().kind() == BasicCredentials.Kind.IDENTITY_TOKEN) {
            form.put("grant_type", "refresh_token");
            form.put("refresh_token", credentials.get().secret());
            form.put("client_id", CLIENT_ID);
            request = transport
                    .request(realmUri(ref, realm, Map.of()))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(encoded(form)))
                    .build();
        } else {
            credentials.ifPresent(c -> form.put("account", c.username()));
            HttpRequest.Builder builder =
                    transport.request(realmUri(ref, realm, form)).GET();
            credentials.ifPresent(c -> builder.header("Authorization", c.basicAuthorization()));
            request = builder.build();
        }
        HttpResponse<InputStream> response;
        try {
            response = transport.send(request);
        } catch (SSLException e) {
            throw RegistryException.of(ref, "token server " + realm + ": TLS failure: " + e.getMessage(), e);
        }
        int status = response.statusCode();
        if (Transport.isTransient(status)) {
            throw Transport.transientFailure(response);
        }
        if (status != 200) {
            String summary = Transport.summary(response);
            throw RegistryException.of(
                    ref,
                    credentials
                            .map(c -> "token server " + realm + " rejected the credentials from " + c.source() + " ("
                                    + summary + ")")
                            .orElseGet(() -> "token server " + realm + " refused anonymous access (" + summary + "); "
                                    + context));
        }
        return token(ref, response, realm);
    }

    private BearerToken token(ImageReference ref, HttpResponse<InputStream> response, String realm)
            throws TransientFailure {
        JsonNode root;
        try (InputStream body = response.body()) {
            byte[] bytes = body.readNBytes(MAX_TOKEN_RESPONSE + 1);
            if (bytes.length > MAX_TOKEN_RESPONSE) {
                throw RegistryException.of(ref, "token server " + realm + ": answer is larger than 1 MiB");
            }
            root = MAPPER.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw RegistryException.of(ref, "token server " + realm + ": answer is not JSON");
        } catch (IOException e) {
            throw new TransientFailure("token server " + realm + ": " + Transport.describe(e));
        }
        String token = text(root, "token")
                .or(() -> text(root, "access_token"))
                .orElseThrow(() -> RegistryException.of(
                        ref, "token server " + realm + ": answer has no \"token\" or \"access_token\""));
        long lifetime = root != null
                        && root.path("expires_in").canConvertToLong()
                        && root.path("expires_in").asLong() > 0
                ? root.path("expires_in").asLong()
                : DEFAULT_LIFETIME_SECONDS;
        return new BearerToken(token, clock.instant().plus(Duration.ofSeconds(lifetime)));
    }

    private static Optional<String> text(JsonNode root, String field) {
        JsonNode node = root == null ? null : root.get(field);
        return node != null && node.isTextual() && !node.asText().isEmpty()
                ? Optional.of(node.asText())
                : Optional.empty();
    }

    private static URI realmUri(ImageReference ref, String realm, Map<String, String> query) {
        URI base;
        try {
            base = new URI(realm);
        } catch (URISyntaxException e) {
            throw RegistryException.of(ref, "the registry's token realm \"" + realm + "\" is not a URL");
        }
        if (base.getScheme() == null || base.getHost() == null) {
            throw RegistryException.of(ref, "the registry's token realm \"" + realm + "\" is not an absolute URL");
        }
        if (query.isEmpty()) {
            return base;
        }
        String withoutFragment = base.getRawFragment() == null
                ? realm
                : realm.substring(0, realm.length() - base.getRawFragment().length() - 1);
        return URI.create(withoutFragment + (base.getRawQuery() == null ? "?" : "&") + encoded(query));
    }

    private static String encoded(Map<String, String> form) {
        return form.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "="
                        + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
