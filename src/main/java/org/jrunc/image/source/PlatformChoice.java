package org.jrunc.image.source;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jrunc.JruncException;
import org.jrunc.sif.HostArch;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciPlatform;

/**
 * Which image of an index (a multi-arch manifest list) to pull: the host's platform, or the one {@code --platform
 * OS/ARCH[/VARIANT]} names. A variant left out matches any, preferring the architecture's default (arm64's "v8" and
 * an absent variant are the same platform, as containerd treats them).
 */
public record PlatformChoice(String os, String architecture, Optional<String> variant) {

    public static PlatformChoice host() {
        return new PlatformChoice("linux", HostArch.host().goArch(), Optional.empty());
    }

    public static PlatformChoice parse(String text) {
        String[] parts = text.split("/", -1);
        if (parts.length < 2 || parts.length > 3 || List.of(parts).stream().anyMatch(String::isEmpty)) {
            throw new JruncException("--platform \"" + text + "\": give OS/ARCH[/VARIANT], e.g. linux/arm64/v8");
        }
        return new PlatformChoice(parts[0], parts[1], parts.length == 3 ? Optional.of(parts[2]) : Optional.empty());
    }

    @Override
    public String toString() {
        return os + "/" + architecture + variant.map(v -> "/" + v).orElse("");
    }

    /** The first entry of the index for this platform; {@code where} names the index in the error. */
    public OciDescriptor choose(List<OciDescriptor> entries, String where) {
        OciDescriptor loose = null;
        for (OciDescriptor d : entries) {
            if (d.platform().isEmpty()) {
                continue;
            }
            OciPlatform p = d.platform().get();
            if (!os.equals(p.os()) || !architecture.equals(p.architecture())) {
                continue;
            }
            String theirs = normalVariant(p.variant());
            if (variant.isPresent()) {
                if (normalVariant(variant.get()).equals(theirs)) {
                    return d;
                }
            } else if (theirs.equals(normalVariant(""))) {
                return d;
            } else if (loose == null) {
                loose = d;
            }
        }
        if (loose != null) {
            return loose;
        }
        String offered = entries.stream()
                .map(d -> d.platform()
                        .map(p -> p.os() + "/" + p.architecture() + (p.variant().isEmpty() ? "" : "/" + p.variant()))
                        .orElse("(no platform)"))
                .collect(Collectors.joining(", "));
        throw new JruncException(where + ": no image for platform " + this + " (the index offers: "
                + (offered.isEmpty() ? "nothing" : offered) + ")");
    }

    /** The variant an image without one has: arm64 is v8; elsewhere none. */
    private String normalVariant(String v) {
        if (v.isEmpty() && "arm64".equals(architecture)) {
            return "v8";
        }
        return v;
    }
}
