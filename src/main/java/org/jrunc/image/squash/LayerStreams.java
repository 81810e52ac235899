package org.jrunc.image.squash;

import io.airlift.compress.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.zip.GZIPInputStream;
import org.jrunc.JruncException;

/**
 * A layer blob's tar stream, decompressed. The compression is taken from the blob's magic number (gzip 1f8b, zstd
 * 28b52ffd, anything else a plain tar) and must agree with the media type: a descriptor that lies about its blob is
 * refused rather than trusted either way.
 *
 * <p>zstd is aircompressor's pure-Java decoder (0.27; 2.0.2 is also Java 8 bytecode, but 0.27 is what was measured),
 * not zstd-jni. Decompressing a 195 MB zstd -3 layer (a 397 MB tar of a JDK and /usr/share/doc) on one thread, after
 * warm-up: aircompressor 0.27 ~730 MB/s of tar (0.55 s), zstd-jni 1.5.7-6 ~1150 MB/s (0.35 s), the zstd CLI 0.44 s.
 * Both are far above what a pull waits on (tar2sqfs's gzip: ~35 MB/s of tar on 2 cores). zstd-jni costs a 7.4 MB
 * jar (.so files for 20 platforms, against 255 KB), and at run time writes its library to java.io.tmpdir
 * (createTempFile, deleteOnExit) and loads it from there: that fails on a noexec /tmp, which is common for non-root
 * users, and a SIGKILLed pull leaves the file behind.
 */
public final class LayerStreams {
    private static final int BUFFER = 64 * 1024;

    private LayerStreams() {}

    /** The layer's tar stream; the caller closes it. Refused in one line when the media type and magic disagree. */
    public static InputStream open(LayerBlob layer) {
        LayerCompression declared = LayerCompression.ofMediaType(layer.mediaType())
                .orElseThrow(() -> SquashException.inLayer(
                        layer.digest(), "media type " + layer.mediaType() + " is not a tar layer's"));
        InputStream file;
        try {
            file = Files.newInputStream(layer.file());
        } catch (IOException e) {
            throw SquashException.inLayer(
                    layer.digest(), "cannot open " + layer.file() + ": " + JruncException.reason(e), e);
        }
        try {
            BufferedInputStream in = new BufferedInputStream(file, BUFFER);
            in.mark(4);
            byte[] head = in.readNBytes(4);
            in.reset();
            LayerCompression actual = LayerCompression.sniff(head);
            if (actual != declared) {
                throw SquashException.inLayer(
                        layer.digest(),
                        "media type " + layer.mediaType() + " says " + declared.describe() + " but the blob is "
                                + actual.describe());
            }
            return switch (actual) {
                case NONE -> in;
                case GZIP -> new GZIPInputStream(in, BUFFER);
                case ZSTD -> new ZstdInputStream(in);
            };
        } catch (IOException | RuntimeException e) {
            closeQuietly(file, e);
            if (e instanceof SquashException s) {
                throw s;
            }
            throw SquashException.inLayer(
                    layer.digest(),
                    "cannot read " + layer.file() + ": "
                            + (e instanceof IOException io ? JruncException.reason(io) : e.toString()),
                    e);
        }
    }

    private static void closeQuietly(InputStream in, Exception failure) {
        try {
            in.close();
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }
}
