package org.jrunc.image.registry;

import org.jrunc.JruncException;
import org.jrunc.sif.OciDigest;

/**
 * A pull from a registry that failed. The message is one line that starts with what was being pulled,
 * {@code docker://HOST/REPO:TAG: <what>}, or names the blob's digest, because the CLI prints it as-is.
 */
public class RegistryException extends JruncException {
    private static final long serialVersionUID = 1L;

    public RegistryException(String detail) {
        super(printable(detail));
    }

    public RegistryException(String detail, Throwable cause) {
        super(printable(detail), cause);
    }

    /** A failure about the image {@code ref} as a whole (its manifest, its authentication). */
    public static RegistryException of(ImageReference ref, String detail) {
        return new RegistryException("docker://" + ref + ": " + detail);
    }

    public static RegistryException of(ImageReference ref, String detail, Throwable cause) {
        return new RegistryException("docker://" + ref + ": " + detail, cause);
    }

    /** A failure about one blob of {@code ref}, named by its digest. */
    public static RegistryException ofBlob(ImageReference ref, OciDigest blob, String detail) {
        return of(ref, "blob " + blob + ": " + detail);
    }

    /**
     * Server-supplied text (error bodies, header values) may hold line breaks and control characters; none may break
     * the line or reach the terminal.
     */
    static String printable(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            sb.append(Character.isISOControl(c) || Character.getType(c) == Character.LINE_SEPARATOR ? ' ' : c);
        }
        return sb.toString();
    }
}
