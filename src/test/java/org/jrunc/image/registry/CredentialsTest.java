package org.jrunc.image.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Credentials files and helpers, found as podman finds them, with an environment map instead of the real one. */
class CredentialsTest {
    @TempDir
    Path dir;

    private Path home;
    private Path bin;
    private Map<String, String> env;

    @BeforeEach
    void environment() throws IOException {
        home = Files.createDirectories(dir.resolve("home"));
        bin = Files.createDirectories(dir.resolve("bin"));
        env = new HashMap<>(Map.of(
                "HOME", home.toString(), "XDG_RUNTIME_DIR", dir.resolve("run").toString(), "PATH", bin + ":/bin"));
        // answers per server URL; "credentials not found" for any other, as docker-credential-helpers do
        Path helper = bin.resolve("docker-credential-fake");
        Files.writeString(helper, """
                #!/bin/sh
                read server
                case "$server" in
                  helped.example) echo '{"ServerURL":"helped.example","Username":"hal","Secret":"pw"}' ;;
                  https://index.docker.io/v1/) echo '{"ServerURL":"x","Username":"hub","Secret":"hubpw"}' ;;
                  tokened.example) echo '{"ServerURL":"x","Username":"<token>","Secret":"refresh-me"}' ;;
                  broken.example) echo "gpg: decryption failed: No secret key" >&2; exit 1 ;;
                  *) echo "credentials not found in native keychain"; exit 1 ;;
                esac
                """);
        Files.setPosixFilePermissions(helper, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private Path write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        return Files.writeString(file, json);
    }

    private static String auth(String user, String password) {
        return "{\"auth\":\"" + FakeRegistry.base64(user + ":" + password) + "\"}";
    }

    private static String user(Optional<BasicCredentials> c) {
        return c.map(BasicCredentials::username).orElse("(none)");
    }

    /** Fails if a less specific key wins over host/namespace/repo, or a repository key leaks to another repository. */
    @Test
    void theMostSpecificKeyWins() throws IOException {
        Path file = write(
                dir.resolve("auth.json"),
                "{\"auths\":{"
                        + "\"quay.io\":" + auth("host", "1") + ","
                        + "\"quay.io/team\":" + auth("team", "2") + ","
                        + "\"quay.io/team/app\":" + auth("app", "3") + "}}");
        Credentials c = Credentials.load(Optional.of(file), env);

        assertEquals("app", user(c.forRepository("quay.io", "team/app")));
        assertEquals("team", user(c.forRepository("quay.io", "team/other")));
        assertEquals("host", user(c.forRepository("quay.io", "elsewhere/app")));
        assertEquals("host", user(c.forRegistry("quay.io")));
        assertEquals("(none)", user(c.forRegistry("ghcr.io")));
        assertEquals("3", c.forRepository("quay.io", "team/app").orElseThrow().secret());
    }

    /** Fails if podman's files are not read in order, or docker's legacy Hub URL key is not docker.io. */
    @Test
    void podmanOrderAndDockerHubsLegacyKey() throws IOException {
        write(dir.resolve("run/containers/auth.json"), "{\"auths\":{\"quay.io\":" + auth("runtime", "x") + "}}");
        write(
                home.resolve(".config/containers/auth.json"),
                "{\"auths\":{\"quay.io\":" + auth("config", "x") + "," + "\"ghcr.io\":" + auth("config", "x") + "}}");
        write(
                home.resolve(".docker/config.json"),
                "{\"auths\":{\"https://index.docker.io/v1/\":" + auth("docker", "x") + ",\"ghcr.io\":"
                        + auth("docker", "x") + "}}");
        Credentials c = Credentials.load(Optional.empty(), env);

        assertEquals("runtime", user(c.forRegistry("quay.io")));
        assertEquals("config", user(c.forRegistry("ghcr.io")));
        assertEquals("docker", user(c.forRepository("docker.io", "library/busybox")));
        assertTrue(
                c.searchedFiles().contains(home.resolve(".docker/config.json").toString()), c.searchedFiles());

        env.put("DOCKER_CONFIG", dir.resolve("elsewhere").toString());
        write(dir.resolve("elsewhere/config.json"), "{\"auths\":{\"docker.io\":" + auth("moved", "x") + "}}");
        assertEquals("moved", user(Credentials.load(Optional.empty(), env).forRegistry("docker.io")));
    }

    /** Fails if an explicit file does not replace the others, or --authfile does not beat $REGISTRY_AUTH_FILE. */
    @Test
    void anExplicitFileIsTheOnlyOne() throws IOException {
        write(home.resolve(".docker/config.json"), "{\"auths\":{\"quay.io\":" + auth("docker", "x") + "}}");
        Path fromEnv = write(dir.resolve("env.json"), "{\"auths\":{\"ghcr.io\":" + auth("env", "x") + "}}");
        Path flag = write(dir.resolve("flag.json"), "{\"auths\":{\"ghcr.io\":" + auth("flag", "x") + "}}");
        env.put("REGISTRY_AUTH_FILE", fromEnv.toString());

        Credentials byEnv = Credentials.load(Optional.empty(), env);
        assertEquals("env", user(byEnv.forRegistry("ghcr.io")));
        assertEquals("(none)", user(byEnv.forRegistry("quay.io")));
        assertEquals("flag", user(Credentials.load(Optional.of(flag), env).forRegistry("ghcr.io")));
    }

    /** Fails if a missing --authfile is silently ignored. */
    @Test
    void aMissingExplicitFileIsAnError() {
        Path missing = dir.resolve("nope.json");
        RegistryException e = assertThrows(RegistryException.class, () -> Credentials.load(Optional.of(missing), env));
        assertEquals(missing + ": credentials file (--authfile) does not exist", e.getMessage());
    }

    /** Fails if a malformed file is not one line naming the file and the field. */
    @Test
    void malformedFilesNameTheFileAndField() throws IOException {
        Path file = dir.resolve("bad.json");
        String[][] cases = {
            {"{\"auths\":{\"quay.io\":{\"auth\":\"%%%\"}}}", "auths.\"quay.io\".auth is not valid base64"},
            {
                "{\"auths\":{\"quay.io\":{\"auth\":\"" + FakeRegistry.base64("nocolon") + "\"}}}",
                "auths.\"quay.io\".auth is not base64 of \"user:password\""
            },
            {"{\"auths\":[]}", "auths is not an object"},
            {"{\"credHelpers\":{\"quay.io\":7}}", "credHelpers.\"quay.io\" is not a string"},
            {"{\"auths\":", "invalid JSON"},
        };
        for (String[] c : cases) {
            write(file, c[0]);
            RegistryException e =
                    assertThrows(RegistryException.class, () -> Credentials.load(Optional.of(file), env), c[0]);
            assertTrue(e.getMessage().startsWith(file + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /** Fails if credHelpers and credsStore are not run from the given PATH, or "not found" is an error. */
    @Test
    void credentialHelpers() throws IOException {
        Path file = write(
                dir.resolve("config.json"),
                "{\"credHelpers\":{\"helped.example\":\"fake\","
                        + "\"tokened.example\":\"fake\",\"broken.example\":\"fake\",\"missing.example\":\"absent\"},"
                        + "\"credsStore\":\"fake\",\"auths\":{\"plain.example\":" + auth("plain", "x") + "}}");
        Credentials c = Credentials.load(Optional.of(file), env);

        BasicCredentials helped = c.forRegistry("helped.example").orElseThrow();
        assertEquals("hal", helped.username());
        assertEquals("pw", helped.secret());
        assertTrue(helped.source().contains("docker-credential-fake"), helped.source());
        assertEquals("hub", user(c.forRepository("docker.io", "library/busybox")), "credsStore, Hub's URL");
        assertEquals("plain", user(c.forRegistry("plain.example")), "auths before credsStore");
        assertTrue(c.forRegistry("nowhere.example").isEmpty(), "credentials not found means none");

        BasicCredentials token = c.forRegistry("tokened.example").orElseThrow();
        assertEquals(BasicCredentials.Kind.IDENTITY_TOKEN, token.kind());
        assertEquals("refresh-me", token.secret());

        RegistryException broken = assertThrows(RegistryException.class, () -> c.forRegistry("broken.example"));
        assertTrue(broken.getMessage().contains("exit status 1: gpg: decryption failed"), broken.getMessage());
        RegistryException absent = assertThrows(RegistryException.class, () -> c.forRegistry("missing.example"));
        assertEquals(file + ": credential helper docker-credential-absent is not on PATH", absent.getMessage());
    }

    /** Fails if auth.json's identitytoken is read as a password. */
    @Test
    void identityTokensInAuthFiles() throws IOException {
        Path file =
                write(dir.resolve("auth.json"), "{\"auths\":{\"quay.io\":{\"auth\":\"\",\"identitytoken\":\"rt\"}}}");
        BasicCredentials c =
                Credentials.load(Optional.of(file), env).forRegistry("quay.io").orElseThrow();
        assertEquals(BasicCredentials.Kind.IDENTITY_TOKEN, c.kind());
        assertEquals("rt", c.secret());
        assertFalse(c.toString().contains("rt]"), "toString must not show the secret");
    }
}
