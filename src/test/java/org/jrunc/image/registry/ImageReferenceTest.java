package org.jrunc.image.registry;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Docker's normalization of references, and its refusals, one line each naming the reference. */
class ImageReferenceTest {
    private static final String D = "sha256:" + "ab".repeat(32);

    /** Fails if a reference is normalized other than docker does (registry, library/, latest, digest kept). */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            busybox                              | docker.io       | library/busybox  | busybox:latest      | latest   | docker.io/library/busybox:latest
            busybox:1.36                         | docker.io       | library/busybox  | 1.36                | 1.36     | docker.io/library/busybox:1.36
            user/app                             | docker.io       | user/app         | latest              | latest   | docker.io/user/app:latest
            docker.io/busybox                    | docker.io       | library/busybox  | latest              | latest   | docker.io/library/busybox:latest
            index.docker.io/library/busybox      | docker.io       | library/busybox  | latest              | latest   | docker.io/library/busybox:latest
            127.0.0.1:5000/a/b:t                 | 127.0.0.1:5000  | a/b              | t                   | t        | 127.0.0.1:5000/a/b:t
            localhost/x                          | localhost       | x                | latest              | latest   | localhost/x:latest
            localhost:5000/x.y_z__w-v--u/q       | localhost:5000  | x.y_z__w-v--u/q  | latest              | latest   | localhost:5000/x.y_z__w-v--u/q:latest
            quay.io/org/repo/sub:v1.2-rc_3       | quay.io         | org/repo/sub     | v1.2-rc_3           | v1.2-rc_3| quay.io/org/repo/sub:v1.2-rc_3
            [::1]:5000/a                         | [::1]:5000      | a                | latest              | latest   | [::1]:5000/a:latest
            """)
    void normalizes(String text, String registry, String repository, String ignored, String tag, String canonical) {
        ImageReference ref = ImageReference.parse(text);
        assertEquals(registry, ref.registry());
        assertEquals(repository, ref.repository());
        assertEquals(tag, ref.tag().orElseThrow());
        assertEquals(canonical, ref.toString());
        assertTrue(ref.digest().isEmpty());
        assertEquals(tag, ref.reference());
    }

    /** Fails if a digest is not parsed, not preferred as the reference, or a tag is invented beside it. */
    @org.junit.jupiter.api.Test
    void digests() {
        ImageReference byDigest = ImageReference.parse("x@" + D);
        assertEquals(D, byDigest.reference());
        assertTrue(byDigest.tag().isEmpty());
        assertEquals("docker.io/library/x@" + D, byDigest.toString());

        ImageReference both = ImageReference.parse("quay.io/a/x:t@" + D);
        assertEquals("t", both.tag().orElseThrow());
        assertEquals(D, both.reference());
        assertEquals("quay.io/a/x:t@" + D, both.toString());

        ImageReference pinned = ImageReference.parse("quay.io/a/x:t")
                .withDigest(byDigest.digest().orElseThrow());
        assertEquals("quay.io/a/x:t@" + D, pinned.toString());
    }

    /** Fails if docker's Hub host is used for the API, or another registry's is changed. */
    @org.junit.jupiter.api.Test
    void apiHosts() {
        assertEquals("registry-1.docker.io", ImageReference.parse("busybox").apiHost());
        assertEquals("quay.io", ImageReference.parse("quay.io/a/b").apiHost());
        assertEquals("127.0.0.1:5000", ImageReference.parse("127.0.0.1:5000/a").apiHost());
    }

    /** Fails if an invalid reference is accepted, or its message does not name it and the reason. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            ''                          | empty image reference
            Busybox                     | repository name must be lowercase
            quay.io/Org/app             | repository name must be lowercase
            a//b                        | invalid repository name component ""
            quay.io/                    | no repository name
            -a                          | invalid repository name component "-a"
            a_-b                        | invalid repository name component "a_-b"
            busybox:                    | invalid tag ""
            busybox:-x                  | invalid tag "-x"
            busybox:a/b                 | invalid registry host "busybox:a"
            x@sha256:abc                | unsupported or malformed digest "sha256:abc"
            x@md5:d41d8cd98f00b204e9800998ecf8427e | unsupported or malformed digest
            bad_host:5000/x             | invalid registry host "bad_host:5000"
            """)
    void refuses(String text, String reason) {
        RegistryException e = assertThrows(RegistryException.class, () -> ImageReference.parse(text));
        assertTrue(e.getMessage().startsWith("invalid image reference \"" + text + "\": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    /** Fails if a name longer than docker's 255 characters is accepted. */
    @org.junit.jupiter.api.Test
    void refusesLongNames() {
        assertThrows(RegistryException.class, () -> ImageReference.parse("quay.io/" + "a".repeat(250)));
        assertTrue(
                ImageReference.parse("quay.io/" + "a".repeat(240)).repository().length() == 240);
    }
}
