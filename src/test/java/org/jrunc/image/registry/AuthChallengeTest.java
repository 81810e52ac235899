package org.jrunc.image.registry;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate as registries and proxies write it. */
class AuthChallengeTest {
    /** Fails if Docker Hub's challenge loses a parameter, or the scheme is not lower-cased. */
    @Test
    void dockerHub() {
        List<AuthChallenge> c =
                AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/busybox:pull\"");
        assertEquals(
                List.of(new AuthChallenge(
                        "bearer",
                        Map.of(
                                "realm", "https://auth.docker.io/token",
                                "service", "registry.docker.io",
                                "scope", "repository:library/busybox:pull"))),
                c);
    }

    /** Fails if a comma or escaped quote inside a quoted value splits it, or a second challenge is lost. */
    @Test
    void quotedCommasEscapesAndSeveralChallenges() {
        List<AuthChallenge> c = AuthChallenge.parse(
                "BASIC realm=\"a, \\\"b\\\" c\", charset=UTF-8 ,  Bearer realm=\"https://r/t\" , service=s,"
                        + "error=\"insufficient_scope\"");
        assertEquals(2, c.size());
        assertEquals("basic", c.get(0).scheme());
        assertEquals(Map.of("realm", "a, \"b\" c", "charset", "UTF-8"), c.get(0).parameters());
        assertEquals("bearer", c.get(1).scheme());
        assertEquals(
                Map.of("realm", "https://r/t", "service", "s", "error", "insufficient_scope"),
                c.get(1).parameters());
    }

    /** Fails if a scheme without parameters, a token68 or upper-case parameter names derail the parse. */
    @Test
    void bareSchemesToken68AndCase() {
        List<AuthChallenge> c = AuthChallenge.parse("Negotiate, NTLM abc+/Z==, Bearer REALM = \"x\"");
        assertEquals(
                List.of("negotiate", "ntlm", "bearer"),
                c.stream().map(AuthChallenge::scheme).toList());
        assertEquals(Map.of("realm", "x"), c.get(2).parameters());
        assertEquals(Map.of(), c.get(1).parameters());
    }

    /** Fails if challenges from several header lines are not all kept, in order. */
    @Test
    void severalHeaderLines() {
        List<AuthChallenge> c = AuthChallenge.parseAll(List.of("Basic realm=\"r\"", "Bearer realm=\"t\""));
        assertEquals(
                List.of("basic", "bearer"),
                c.stream().map(AuthChallenge::scheme).toList());
    }

    /** Fails if an unterminated quote throws, or what came before it is lost. */
    @Test
    void malformedEndsTheParse() {
        List<AuthChallenge> c = AuthChallenge.parse("Bearer realm=\"https://r/t\", service=\"unterminated");
        assertEquals(1, c.size());
        assertEquals("https://r/t", c.get(0).parameter("realm").orElseThrow());
        assertTrue(AuthChallenge.parse("").isEmpty());
        assertTrue(AuthChallenge.parse("  ,  ").isEmpty());
    }
}
