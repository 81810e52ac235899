package org.jrunc.spectest.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The faults a {@link RegistryFront} test asked for, and the blob copy that applies them. */
final class BlobFaults {
    private static final long THROTTLE_TICK_MILLIS = 100;

    private RegistryFront.FailedResponses failures;
    private int failuresLeft;
    private volatile boolean redirect;
    private final Set<String> tampered = ConcurrentHashMap.newKeySet();
    private final Map<String, Long> throttled = new ConcurrentHashMap<>();

    synchronized void failNext(RegistryFront.FailedResponses responses) {
        failures = responses;
        failuresLeft = responses.count();
    }

    /** The failure to answer this blob GET with, counting it, or null. */
    synchronized RegistryFront.FailedResponses takeFailure() {
        if (failuresLeft == 0) {
            return null;
        }
        failuresLeft--;
        return failures;
    }

    void redirect() {
        redirect = true;
    }

    boolean redirecting() {
        return redirect;
    }

    void tamper(String digest) {
        tampered.add(digest);
    }

    void throttle(String digest, long bytesPerSecond) {
        throttled.put(digest, bytesPerSecond);
    }

    /**
     * Copies a response body; for blob {@code digest} ({@code length} bytes, -1 if unknown or not a blob's content)
     * with the middle byte flipped if it is tampered, and at its rate if it is throttled.
     */
    void copyBlob(String digest, long length, InputStream in, OutputStream out)
            throws IOException, InterruptedException {
        long flipAt = digest != null && length > 0 && tampered.contains(digest) ? length / 2 : -1;
        Long rate = digest == null ? null : throttled.get(digest);
        int chunk = rate == null ? 1 << 16 : (int) Math.max(1, rate * THROTTLE_TICK_MILLIS / 1000);
        byte[] buf = new byte[chunk];
        long position = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
            if (flipAt >= position && flipAt < position + n) {
                buf[(int) (flipAt - position)] ^= (byte) 0xff;
            }
            out.write(buf, 0, n);
            position += n;
            if (rate != null) {
                out.flush();
                Thread.sleep(THROTTLE_TICK_MILLIS);
            }
        }
    }
}
