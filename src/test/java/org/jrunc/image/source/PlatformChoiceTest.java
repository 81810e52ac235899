package org.jrunc.image.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciPlatform;
import org.junit.jupiter.api.Test;

class PlatformChoiceTest {
    private static OciDescriptor entry(String arch, String variant, String seed) {
        return new OciDescriptor(
                "application/vnd.oci.image.manifest.v1+json",
                OciDigest.sha256(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                1,
                "",
                Map.of(),
                Optional.of(new OciPlatform(arch, "linux", variant)));
    }

    private final List<OciDescriptor> index = List.of(
            entry("arm", "v7", "a"), entry("arm64", "v8", "b"), entry("amd64", "", "c"), entry("arm", "v6", "d"));

    @Test
    void choosesByOsArchitectureAndVariant() {
        assertEquals(index.get(2), PlatformChoice.parse("linux/amd64").choose(index, "i"));
        assertEquals(index.get(1), PlatformChoice.parse("linux/arm64").choose(index, "i"));
        assertEquals(index.get(1), PlatformChoice.parse("linux/arm64/v8").choose(index, "i"));
        assertEquals(index.get(3), PlatformChoice.parse("linux/arm/v6").choose(index, "i"));
        assertEquals(index.get(0), PlatformChoice.parse("linux/arm").choose(index, "i"));
    }

    @Test
    void aMissingPlatformListsWhatTheIndexOffers() {
        JruncException e = assertThrows(
                JruncException.class, () -> PlatformChoice.parse("linux/s390x").choose(index, "docker://x"));
        assertEquals(
                "docker://x: no image for platform linux/s390x (the index offers: linux/arm/v7, linux/arm64/v8,"
                        + " linux/amd64, linux/arm/v6)",
                e.getMessage());
        for (String bad : List.of("linux", "linux/", "a/b/c/d", "/amd64")) {
            assertThrows(JruncException.class, () -> PlatformChoice.parse(bad));
        }
    }

    @Test
    void theHostIsLinuxOnItsArchitecture() {
        PlatformChoice host = PlatformChoice.host();
        assertEquals("linux", host.os());
        assertTrue(List.of("amd64", "arm64").contains(host.architecture()), host.toString());
    }
}
