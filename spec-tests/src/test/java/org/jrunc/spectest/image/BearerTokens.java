package org.jrunc.spectest.image;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token server of Docker's token authentication, as Docker Hub and quay.io run it, cut to what a client meets: a
 * {@code WWW-Authenticate: Bearer realm=…,service=…,scope=repository:REPO:ACTIONS} challenge, a realm that checks Basic
 * credentials and grants the requested scopes, and opaque tokens that allow exactly those.
 */
final class BearerTokens {
    static final String SERVICE = "test-registry";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String realm;
    private final Credentials credentials;
    /** token to the "REPOSITORY:ACTION" grants it carries */
    private final Map<String, Set<String>> issued = new ConcurrentHashMap<>();

    BearerTokens(String realm, Credentials credentials) {
        this.realm = realm;
        this.credentials = credentials;
    }

    /** The challenge for {@code action} (pull or push) on {@code repository}; null for the /v2/ ping. */
    String challenge(String repository, String action) {
        String scope = repository == null
                ? ""
                : ",scope=\"repository:" + repository + ":" + (action.equals("push") ? "pull,push" : "pull") + "\"";
        return "Bearer realm=\"" + realm + "\",service=\"" + SERVICE + "\"" + scope;
    }

    /** Whether {@code authorization} carries a token granting {@code action} on {@code repository} (any token for null). */
    boolean allows(String authorization, String repository, String action) {
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            return false;
        }
        Set<String> grants =
                issued.get(authorization.substring("Bearer ".length()).trim());
        return grants != null && (repository == null || grants.contains(repository + ":" + action));
    }

    /** The realm: 401 without the right Basic credentials, 400 for another service, else a token for the scopes. */
    int issue(HttpExchange exchange) throws IOException {
        if (!credentials
                .basicAuthorization()
                .equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            return RegistryFront.sendError(exchange, 401, "UNAUTHORIZED", "wrong or missing user and password");
        }
        Set<String> grants = new HashSet<>();
        String service = null;
        String query = exchange.getRequestURI().getRawQuery();
        for (String pair : query == null ? new String[0] : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            if (key.equals("service")) {
                service = value;
            } else if (key.equals("scope")) {
                grants.addAll(grantsOf(value));
            }
        }
        if (!SERVICE.equals(service)) {
            return RegistryFront.sendError(exchange, 400, "UNSUPPORTED", "unknown service " + service);
        }
        String token = UUID.randomUUID().toString();
        issued.put(token, grants);
        byte[] body = JSON.writeValueAsBytes(Map.of("token", token, "expires_in", 300));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        exchange.getResponseBody().write(body);
        return 200;
    }

    /** "repository:NAME:pull,push" as {"NAME:pull", "NAME:push"}; other resource types grant nothing. */
    private static Set<String> grantsOf(String scope) {
        Set<String> out = new HashSet<>();
        String[] parts = scope.split(":");
        if (parts.length == 3 && parts[0].equals("repository")) {
            for (String action : parts[2].split(",")) {
                out.add(parts[1] + ":" + action);
            }
        }
        return out;
    }

    /** Every token issued so far stops working (as when they expire); clients must fetch new ones. */
    void revokeAll() {
        issued.clear();
    }
}
