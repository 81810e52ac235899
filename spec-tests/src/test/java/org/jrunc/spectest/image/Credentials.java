package org.jrunc.spectest.image;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** A registry user and password, as the tests hand them to the registry, the token server and skopeo. */
public record Credentials(String user, String password) {

    /** The value of an {@code Authorization: Basic} header. */
    public String basicAuthorization() {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** skopeo's {@code --creds}/{@code --src-creds}/{@code --dest-creds} value. */
    public String skopeoCreds() {
        return user + ":" + password;
    }
}
