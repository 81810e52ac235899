package org.jrunc.sif;

/** Whether an image's architecture can run on this host, as Singularity checks before mounting. */
public final class HostArch {
    private HostArch() {}

    public static SifArch host() {
        return switch (System.getProperty("os.arch", "")) {
            case "amd64", "x86_64" -> SifArch.AMD64;
            case "aarch64", "arm64" -> SifArch.ARM64;
            case "x86", "i386", "i686" -> SifArch.I386;
            case "arm" -> SifArch.ARM;
            case "ppc64le" -> SifArch.PPC64LE;
            case "ppc64" -> SifArch.PPC64;
            case "s390x" -> SifArch.S390X;
            case "riscv64" -> SifArch.RISCV64;
            case "loongarch64" -> SifArch.LOONG64;
            default -> SifArch.UNKNOWN;
        };
    }

    /** Unknown on either side is accepted: old images and unlisted hosts should not be refused on a guess. */
    public static boolean runs(SifArch image, SifArch host) {
        return image == SifArch.UNKNOWN
                || host == SifArch.UNKNOWN
                || image == host
                || (host == SifArch.AMD64 && image == SifArch.I386)
                || (host == SifArch.ARM64 && image == SifArch.ARM);
    }
}
