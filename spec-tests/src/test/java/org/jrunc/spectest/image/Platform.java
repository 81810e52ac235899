package org.jrunc.spectest.image;

/** An image's platform as an OCI index and config name it; {@code variant} may be null. */
public record Platform(String os, String architecture, String variant) {
    public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", null);
    public static final Platform LINUX_ARM64 = new Platform("linux", "arm64", "v8");

    /** {@code OS/ARCH[/VARIANT]}, the form of {@code --platform}. */
    @Override
    public String toString() {
        return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
}
