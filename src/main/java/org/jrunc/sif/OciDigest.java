package org.jrunc.sif;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * An OCI content digest "algorithm:hex". Only sha256 (what every SIF writer records) and sha512 are accepted,
 * with lower-case hex of the right length, so that a parsed digest can always be verified.
 */
public record OciDigest(String algorithm, String hex) {
    public static final String SHA256 = "sha256";
    public static final String SHA512 = "sha512";

    public OciDigest {
        if (hexLength(algorithm) < 0 || hex.length() != hexLength(algorithm) || !isLowerHex(hex)) {
            throw new IllegalArgumentException("malformed digest " + algorithm + ":" + hex);
        }
    }

    /** Empty when {@code text} is not a well-formed sha256/sha512 digest. */
    public static Optional<OciDigest> parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            return Optional.empty();
        }
        String algorithm = text.substring(0, colon);
        String hex = text.substring(colon + 1);
        if (hexLength(algorithm) < 0 || hex.length() != hexLength(algorithm) || !isLowerHex(hex)) {
            return Optional.empty();
        }
        return Optional.of(new OciDigest(algorithm, hex));
    }

    public static OciDigest sha256(byte[] data) {
        return of(SHA256, newMessageDigest(SHA256).digest(data));
    }

    /** A new hasher for this digest's algorithm. */
    public MessageDigest newMessageDigest() {
        return newMessageDigest(algorithm);
    }

    public static MessageDigest newMessageDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(SHA512.equals(algorithm) ? "SHA-512" : "SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256 and SHA-512", e);
        }
    }

    public static OciDigest of(String algorithm, byte[] hash) {
        return new OciDigest(algorithm, HexFormat.of().formatHex(hash));
    }

    /** "sha256:0123456789ab": the first 12 hex digits, as podman and skopeo print a blob. */
    public String shortForm() {
        return algorithm + ":" + hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return algorithm + ":" + hex;
    }

    private static int hexLength(String algorithm) {
        return switch (algorithm) {
            case SHA256 -> 64;
            case SHA512 -> 128;
            default -> -1;
        };
    }

    private static boolean isLowerHex(String s) {
        return s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }
}
