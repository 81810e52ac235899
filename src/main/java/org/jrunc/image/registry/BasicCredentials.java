package org.jrunc.image.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user's credentials for one registry and where they came from ({@code source}, for error messages). An
 * {@link Kind#IDENTITY_TOKEN} secret is an OAuth2 refresh token (auth.json's "identitytoken", or a credential helper's
 * user "&lt;token&gt;"), exchanged at the token server rather than sent as a password.
 */
public record BasicCredentials(String username, String secret, Kind kind, String source) {
    public enum Kind {
        PASSWORD,
        IDENTITY_TOKEN
    }

    public static BasicCredentials password(String username, String password, String source) {
        return new BasicCredentials(username, password, Kind.PASSWORD, source);
    }

    public static BasicCredentials identityToken(String username, String token, String source) {
        return new BasicCredentials(username, token, Kind.IDENTITY_TOKEN, source);
    }

    /** The value of an {@code Authorization: Basic} header. */
    String basicAuthorization() {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + secret).getBytes(StandardCharsets.UTF_8));
    }

    /** Never the secret: records print themselves in debug output and exception messages. */
    @Override
    public String toString() {
        return "BasicCredentials[" + username + " from " + source + "]";
    }
}
