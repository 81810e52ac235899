package org.jrunc.image.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;

/**
 * One blob streamed into a file and hashed as it arrives: more bytes than the descriptor's size stop the download at
 * once, and the file counts only if its digest is the descriptor's. A connection lost midway is resumed with a Range
 * request from the bytes already written (and hashed); a server that answers the Range with the whole blob starts it
 * again. Whatever fails, the file is deleted.
 */
final class BlobDownload {
    interface Sender {
        HttpResponse<InputStream> send(ImageReference ref, ApiCall call) throws TransientFailure;
    }

    private static final int BUFFER = 128 * 1024;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-\\d+/(?:\\d+|\\*)");

    private final ImageReference ref;
    private final OciDescriptor blob;
    private final Path destination;
    private final BlobProgress progress;
    private final Sender sender;
    private MessageDigest hash;
    private long written;

    BlobDownload(ImageReference ref, OciDescriptor blob, Path destination, BlobProgress progress, Sender sender) {
        this.ref = ref;
        this.blob = blob;
        this.destination = destination;
        this.progress = progress;
        this.sender = sender;
    }

    void run(Retrier retrier) {
        boolean complete = false;
        try (FileChannel out = FileChannel.open(
                destination,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            hash = blob.digest().newMessageDigest();
            written = 0;
            retrier.run(ref, "downloading blob " + blob.digest(), () -> attempt(out));
            verify();
            complete = true;
        } catch (IOException e) {
            throw failure("cannot write " + destination + ": " + JruncException.reason(e));
        } finally {
            if (!complete) {
                deleteQuietly();
            }
        }
    }

    private Void attempt(FileChannel out) throws TransientFailure {
        Map<String, String> headers = written > 0 ? Map.of("Range", "bytes=" + written + "-") : Map.of();
        HttpResponse<InputStream> response =
                sender.send(ref, ApiCall.get(ref.repository() + "/blobs/" + blob.digest(), headers));
        int status = response.statusCode();
        if (Transport.isTransient(status)) {
            throw Transport.transientFailure(response);
        }
        if (status == 200) {
            if (written > 0) {
                startAgain(out);
            }
        } else if (status == 206) {
            Optional<Long> start = rangeStart(response);
            if (start.isEmpty() || start.get() != written) {
                Transport.discard(response);
                startAgain(out);
                throw new TransientFailure("the registry resumed the blob at another offset than asked");
            }
        } else {
            throw failure(Transport.summary(response));
        }
        long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        if (announced >= 0 && written + announced > blob.size()) {
            Transport.discard(response);
            throw failure("the registry announces " + (written + announced) + " bytes, more than the " + blob.size()
                    + " the manifest says");
        }
        copy(response, out);
        return null;
    }

    private void copy(HttpResponse<InputStream> response, FileChannel out) throws TransientFailure {
        byte[] buffer = new byte[BUFFER];
        try (InputStream in = response.body()) {
            while (true) {
                int n;
                try {
                    n = in.read(buffer);
                } catch (IOException e) {
                    throw new TransientFailure("connection lost after " + written + " of " + blob.size() + " bytes: "
                            + Transport.describe(e));
                }
                if (n < 0) {
                    return;
                }
                if (written + n > blob.size()) {
                    throw failure("more than the " + blob.size() + " bytes the manifest says arrived");
                }
                hash.update(buffer, 0, n);
                write(out, buffer, n);
                written += n;
                progress.transferred(n);
            }
        } catch (IOException e) {
            // closing a stream that has been read to its end or failed already: nothing more to learn
        }
    }

    private void write(FileChannel out, byte[] buffer, int n) {
        ByteBuffer data = ByteBuffer.wrap(buffer, 0, n);
        try {
            while (data.hasRemaining()) {
                out.write(data);
            }
        } catch (IOException e) {
            throw failure("cannot write " + destination + ": " + JruncException.reason(e));
        }
    }

    private void startAgain(FileChannel out) {
        try {
            out.truncate(0);
            out.position(0);
        } catch (IOException e) {
            throw failure("cannot truncate " + destination + ": " + JruncException.reason(e));
        }
        hash.reset();
        written = 0;
        progress.restarted();
    }

    private void verify() {
        if (written != blob.size()) {
            throw failure("only " + written + " of the " + blob.size() + " bytes the manifest says arrived");
        }
        OciDigest actual =
                new OciDigest(blob.digest().algorithm(), HexFormat.of().formatHex(hash.digest()));
        if (!actual.equals(blob.digest())) {
            throw failure("digest mismatch: the content that arrived is " + actual);
        }
    }

    private static Optional<Long> rangeStart(HttpResponse<InputStream> response) {
        return response.headers().firstValue("Content-Range").flatMap(value -> {
            Matcher m = CONTENT_RANGE.matcher(value.strip());
            return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
        });
    }

    private RegistryException failure(String detail) {
        return RegistryException.ofBlob(ref, blob.digest(), detail);
    }

    private void deleteQuietly() {
        try {
            Files.deleteIfExists(destination);
        } catch (IOException e) {
            // the download's own failure is the one to report
        }
    }
}
