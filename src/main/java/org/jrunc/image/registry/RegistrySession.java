package org.jrunc.image.registry;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;

/**
 * What a client knows about one registry host: its base URL (https, or http when --tls-verify=false and TLS failed),
 * found by the {@code /v2/} ping once; the challenges the ping answered with; and the bearer tokens it has, one per
 * scope. Shared by every thread downloading from the host, so each piece is fetched by one thread while the others
 * wait for it.
 */
final class RegistrySession {
    private static final int MAX_REDIRECTS = 5;

    private final String host;
    private final Transport transport;
    private final boolean tlsVerify;
    private final ClientTiming timing;
    private final ConcurrentMap<String, TokenSlot> tokens = new ConcurrentHashMap<>();
    private URI base; // guarded by this
    private List<AuthChallenge> challenges = List.of(); // guarded by this

    RegistrySession(String host, Transport transport, boolean tlsVerify, ClientTiming timing) {
        this.host = host;
        this.transport = transport;
        this.tlsVerify = tlsVerify;
        this.timing = timing;
    }

    /** Where credentials were looked for, and whether a user has any: for the message of a 401. */
    record CredentialLookup(Supplier<Optional<BasicCredentials>> credentials, String searched) {}

    /**
     * Sends {@code call} for {@code ref}'s repository, authenticated as the registry asks, following redirects
     * (the Authorization header goes only to the registry's own origin). A 401 gets one more try with a fresh token;
     * a second one is the caller's one-line error. Any other status is returned as it is.
     */
    HttpResponse<InputStream> send(ImageReference ref, ApiCall call, CredentialLookup lookup) throws TransientFailure {
        URI registry = base(ref);
        URI uri = URI.create(registry + "v2/" + call.path());
        Optional<String> authorization = authorization(ref, lookup);
        HttpResponse<InputStream> response = follow(ref, call, uri, authorization);
        if (response.statusCode() != 401 || !Transport.sameOrigin(response.uri(), registry)) {
            return response;
        }
        List<AuthChallenge> fresh = AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
        String summary = Transport.summary(response);
        rechallenged(fresh);
        authorization.ifPresent(a -> forget(ref, a));
        Optional<String> again = authorization(ref, lookup);
        if (again.isPresent() && !again.equals(authorization)) {
            response = follow(ref, call, uri, again);
            if (response.statusCode() != 401 || !Transport.sameOrigin(response.uri(), registry)) {
                return response;
            }
            summary = Transport.summary(response);
        }
        Optional<BasicCredentials> credentials = lookup.credentials().get();
        if (credentials.isPresent()) {
            throw RegistryException.of(
                    ref,
                    "the registry rejected the credentials from "
                            + credentials.get().source() + " (" + summary + ")");
        }
        throw RegistryException.of(
                ref,
                "authentication required (" + summary + "); no credentials for " + ref.registry() + " in "
                        + lookup.searched());
    }

    private HttpResponse<InputStream> follow(ImageReference ref, ApiCall call, URI uri, Optional<String> authorization)
            throws TransientFailure {
        URI current = uri;
        for (int redirects = 0; ; redirects++) {
            HttpRequest.Builder request =
                    transport.request(current).method(call.method(), HttpRequest.BodyPublishers.noBody());
            call.headers().forEach(request::header);
            if (Transport.sameOrigin(current, uri)) {
                authorization.ifPresent(a -> request.header("Authorization", a));
            }
            HttpResponse<InputStream> response;
            try {
                response = transport.send(request.build());
            } catch (SSLException e) {
                throw RegistryException.of(
                        ref, "TLS failure talking to " + current.getHost() + ": " + e.getMessage(), e);
            }
            Optional<String> location = response.headers().firstValue("Location");
            if (!isRedirect(response.statusCode()) || location.isEmpty()) {
                return response;
            }
            Transport.discard(response);
            if (redirects == MAX_REDIRECTS) {
                throw RegistryException.of(ref, "more than " + MAX_REDIRECTS + " redirects for " + uri);
            }
            current = redirectTarget(ref, current, location.get());
        }
    }

    private URI redirectTarget(ImageReference ref, URI from, String location) {
        URI target;
        try {
            target = from.resolve(location);
        } catch (IllegalArgumentException e) {
            throw RegistryException.of(ref, "redirect to an invalid Location \"" + location + "\"");
        }
        String scheme = target.getScheme() == null ? "" : target.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("https")
                && !(scheme.equals("http") && (!tlsVerify || from.getScheme().equals("http")))) {
            throw RegistryException.of(
                    ref,
                    "refusing a redirect from " + from.getHost() + " to " + target
                            + " (plain HTTP needs --tls-verify=false)");
        }
        return target;
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /** The registry's base URL ("https://host/"), pinging {@code /v2/} on first use. */
    private synchronized URI base(ImageReference ref) throws TransientFailure {
        if (base != null) {
            return base;
        }
        URI https = URI.create("https://" + host + "/");
        try {
            challenges = ping(ref, https);
            base = https;
        } catch (SSLException | TransientFailure e) {
            if (tlsVerify) {
                if (e instanceof TransientFailure t) {
                    throw t;
                }
                throw RegistryException.of(
                        ref,
                        "TLS failure talking to " + host + ": " + e.getMessage() + " (--tls-verify=false allows it)",
                        e);
            }
            URI http = URI.create("http://" + host + "/");
            try {
                challenges = ping(ref, http);
            } catch (SSLException impossible) {
                throw new IllegalStateException("plain HTTP has no TLS", impossible);
            }
            base = http;
        }
        return base;
    }

    private List<AuthChallenge> ping(ImageReference ref, URI registry) throws TransientFailure, SSLException {
        URI uri = URI.create(registry + "v2/");
        HttpResponse<InputStream> response = transport.send(
                transport.request(uri).timeout(timing.pingTimeout()).GET().build());
        int status = response.statusCode();
        if (status == 401) {
            List<AuthChallenge> found =
                    AuthChallenge.parseAll(response.headers().allValues("WWW-Authenticate"));
            Transport.discard(response);
            return found;
        }
        if (status / 100 == 2) {
            Transport.discard(response);
            return List.of();
        }
        if (Transport.isTransient(status)) {
            throw Transport.transientFailure(response);
        }
        throw RegistryException.of(ref, "pinging " + uri + ": " + Transport.summary(response));
    }

    /** A 401 that names other challenges than the ping did (some registries let /v2/ through): use those. */
    private synchronized void rechallenged(List<AuthChallenge> fresh) {
        if (!fresh.isEmpty()) {
            challenges = fresh;
        }
    }

    private synchronized List<AuthChallenge> challenges() {
        return challenges;
    }

    /** The Authorization header for {@code ref}'s repository: a bearer token if offered, else Basic, else none. */
    private Optional<String> authorization(ImageReference ref, CredentialLookup lookup) throws TransientFailure {
        List<AuthChallenge> offered = challenges();
        Optional<AuthChallenge> bearer = scheme(offered, AuthChallenge.BEARER);
        if (bearer.isPresent()) {
            String scope = scope(ref);
            TokenServer server = new TokenServer(transport, timing.clock(), bearer.get());
            BearerToken token = tokens.computeIfAbsent(scope, s -> new TokenSlot())
                    .get(() -> server.fetch(ref, scope, lookup.credentials().get(), lookup.searched()));
            return Optional.of(token.authorization());
        }
        if (scheme(offered, AuthChallenge.BASIC).isPresent()) {
            Optional<BasicCredentials> credentials = lookup.credentials().get();
            if (credentials.isPresent() && credentials.get().kind() == BasicCredentials.Kind.IDENTITY_TOKEN) {
                throw RegistryException.of(
                        ref,
                        "the registry asks for Basic authentication, but the credentials from "
                                + credentials.get().source() + " are an identity token");
            }
            return credentials.map(BasicCredentials::basicAuthorization);
        }
        return Optional.empty();
    }

    private void forget(ImageReference ref, String authorization) {
        TokenSlot slot = tokens.get(scope(ref));
        if (slot != null) {
            slot.forget(authorization);
        }
    }

    private static String scope(ImageReference ref) {
        return "repository:" + ref.repository() + ":pull";
    }

    private static Optional<AuthChallenge> scheme(List<AuthChallenge> offered, String scheme) {
        return offered.stream().filter(c -> c.scheme().equals(scheme)).findFirst();
    }

    /** One scope's token: fetched by one thread while the others wait, fetched again once expired or refused. */
    private final class TokenSlot {
        private BearerToken token; // guarded by this

        interface Fetch {
            BearerToken fetch() throws TransientFailure;
        }

        synchronized BearerToken get(Fetch fetch) throws TransientFailure {
            if (token == null || !token.validAt(timing.clock().instant())) {
                token = fetch.fetch();
            }
            return token;
        }

        synchronized void forget(String authorization) {
            if (token != null && token.authorization().equals(authorization)) {
                token = null;
            }
        }
    }
}
