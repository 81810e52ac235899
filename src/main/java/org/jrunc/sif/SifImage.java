package org.jrunc.sif;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A SIF image opened for reading: the validated header and used descriptors, and bounded access to object data.
 * Opening checks every region against the file length, so any corruption surfaces as a one-line
 * {@link SifException} here rather than later. Reads are positional; an instance may be shared between threads.
 */
public final class SifImage implements Closeable {
    private static final byte[] SQUASHFS_MAGIC = "hsqs".getBytes(StandardCharsets.US_ASCII);
    private static final int COPY_BUFFER = 64 * 1024;

    private final String file;
    private final ByteSource source;
    private final long fileSize;
    private final SifHeader header;
    private final List<SifDescriptor> descriptors;
    /** IDs are unique (validated), so lookups stay O(1) even for a table of the maximum size. */
    private final Map<Integer, SifDescriptor> byId;

    private SifImage(String file, ByteSource source, SifLoader.Loaded loaded) {
        this.file = file;
        this.source = source;
        this.fileSize = loaded.fileSize();
        this.header = loaded.header();
        this.descriptors = loaded.descriptors();
        this.byId = descriptors.stream().collect(Collectors.toUnmodifiableMap(SifDescriptor::id, d -> d));
    }

    public static SifImage open(Path path) {
        String file = path.toString();
        FileChannel channel;
        try {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw SifException.io(file, "cannot open", e);
        }
        return open(new FileByteSource(channel, true), file);
    }

    /** Opens over any source; {@code file} is the name used in error messages. The source is closed on failure. */
    static SifImage open(ByteSource source, String file) {
        try {
            return new SifImage(file, source, SifLoader.load(source, file));
        } catch (RuntimeException e) {
            closeQuietly(source, e);
            throw e;
        }
    }

    /** The name this image reports in error messages (the path it was opened with). */
    public String file() {
        return file;
    }

    /** File length when the image was opened; every descriptor was checked against it. */
    public long fileSize() {
        return fileSize;
    }

    public SifHeader header() {
        return header;
    }

    /** Used descriptors in slot order (unused slots are skipped). */
    public List<SifDescriptor> descriptors() {
        return descriptors;
    }

    public Optional<SifDescriptor> descriptor(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    public SifDescriptor requireDescriptor(int id) {
        return descriptor(id).orElseThrow(() -> new SifException(file, "no object with ID " + id));
    }

    public List<SifDescriptor> select(Predicate<SifDescriptor> filter) {
        return descriptors.stream().filter(filter).collect(Collectors.toUnmodifiableList());
    }

    public List<SifDescriptor> ofType(SifDataType type) {
        return select(d -> d.dataType() == type);
    }

    /** Objects of group {@code groupId} (the masked ID, e.g. 1); 0 selects the objects in no group. */
    public List<SifDescriptor> inGroup(int groupId) {
        return select(d -> d.groupId() == groupId);
    }

    public List<SifDescriptor> named(String name) {
        return select(d -> d.name().equals(name));
    }

    /** Objects whose LinkedID is {@code link}, e.g. the signatures of group 1: {@code linkedTo(SifLink.toGroup(1))}. */
    public List<SifDescriptor> linkedTo(SifLink link) {
        return select(d -> d.link().equals(link));
    }

    /**
     * The root filesystem: the partition whose type is PrimSys, found by type and never by position. At most one
     * may exist (writers refuse a second one); a file with more is rejected rather than guessed at.
     */
    public Optional<SifDescriptor> primaryPartition() {
        List<SifDescriptor> found = select(SifDescriptor::isPrimaryPartition);
        if (found.size() > 1) {
            String ids = found.stream().map(d -> Integer.toString(d.id())).collect(Collectors.joining(", "));
            throw new SifException(
                    file, found.size() + " primary system partitions (IDs " + ids + "); expected at most one");
        }
        return found.stream().findFirst();
    }

    /** An OCI-SIF holds an OCI image (root index) instead of a native root filesystem; see {@link OciSif}. */
    public boolean isOciSif() {
        return descriptors.stream().anyMatch(d -> d.dataType() == SifDataType.OCI_ROOT_INDEX);
    }

    /** Whether the object starts with the squashfs magic "hsqs" (Singularity checks this before mounting). */
    public boolean isSquashfs(SifDescriptor d) {
        checkOwn(d);
        if (d.size() < SQUASHFS_MAGIC.length) {
            return false;
        }
        byte[] magic = new byte[SQUASHFS_MAGIC.length];
        ByteSource.readFully(source, d.offset(), magic, file, describe(d));
        return Arrays.equals(magic, SQUASHFS_MAGIC);
    }

    /** A read-only channel over exactly the object's bytes; closing it leaves the image open. */
    public SeekableByteChannel openChannel(SifDescriptor d) {
        checkOwn(d);
        return new SliceChannel(source, d.offset(), d.size(), file, describe(d));
    }

    public InputStream openStream(SifDescriptor d) {
        return Channels.newInputStream(openChannel(d));
    }

    /** The whole object in memory; refuses objects larger than {@code maxBytes} (JSON documents, not layers). */
    public byte[] readBytes(SifDescriptor d, int maxBytes) {
        checkOwn(d);
        if (d.size() > maxBytes) {
            throw new SifException(
                    file, describe(d) + " is " + d.size() + " bytes, more than the " + maxBytes + " allowed here");
        }
        byte[] data = new byte[(int) d.size()];
        ByteSource.readFully(source, d.offset(), data, file, describe(d));
        return data;
    }

    /** Writes the object's bytes to {@code out} ({@code siftool dump}); the stream is not closed. */
    public void copyObject(int id, OutputStream out) {
        copyObject(requireDescriptor(id), out);
    }

    public void copyObject(SifDescriptor d, OutputStream out) {
        try (SeekableByteChannel in = openChannel(d)) {
            ByteBuffer buf = ByteBuffer.allocate(COPY_BUFFER);
            while (in.read(buf) >= 0) {
                buf.flip();
                writeOut(d, out, buf);
                buf.clear();
            }
        } catch (IOException e) {
            throw SifException.io(file, "cannot read " + describe(d), e);
        }
    }

    private void writeOut(SifDescriptor d, OutputStream out, ByteBuffer buf) {
        try {
            out.write(buf.array(), 0, buf.limit());
        } catch (IOException e) {
            throw SifException.io(file, describe(d) + ": cannot write output", e);
        }
    }

    @Override
    public void close() {
        try {
            source.close();
        } catch (IOException e) {
            throw SifException.io(file, "cannot close", e);
        }
    }

    /** "object 3 (OCI.Blob)": how messages name an object. */
    static String describe(SifDescriptor d) {
        return "object " + d.id() + " (" + d.dataType().displayName() + ")";
    }

    /** Objects are read by their validated range; one from another image could point anywhere. */
    private void checkOwn(SifDescriptor d) {
        if (!d.equals(byId.get(d.id()))) {
            throw new IllegalArgumentException("descriptor " + d.id() + " does not belong to " + file);
        }
    }

    private static void closeQuietly(ByteSource source, RuntimeException pending) {
        try {
            source.close();
        } catch (IOException e) {
            pending.addSuppressed(e);
        }
    }
}
