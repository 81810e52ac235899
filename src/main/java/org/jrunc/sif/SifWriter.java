package org.jrunc.sif;

import static org.jrunc.sif.SifFormat.*;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Creates SIF images and adds or deletes objects with the semantics of sylabs' sif library, so deterministic
 * output matches its files byte for byte:
 * <ul>
 * <li>a new object takes the first unused slot and gets ID = slot index + 1;</li>
 * <li>its data goes after the furthest end of any object (holes are never reused), aligned as the input says;</li>
 * <li>after every change the whole descriptor table is rewritten, then the header (header last, so a crash in
 * between leaves the previous header describing data that is still there).</li>
 * </ul>
 * Not thread-safe; one writer per file.
 */
public final class SifWriter implements Closeable {
    private static final int IO_BUFFER = 64 * 1024;

    private final String file;
    private final FileChannel channel;
    private final SifClock clock;
    private final SifDescriptor[] slots;
    private SifHeader header;

    private SifWriter(String file, FileChannel channel, SifClock clock, SifHeader header, SifDescriptor[] slots) {
        this.file = file;
        this.channel = channel;
        this.clock = clock;
        this.header = header;
        this.slots = slots;
    }

    /** Creates (or truncates) {@code path} as an empty image: header and an all-free descriptor table. */
    public static SifWriter create(Path path, SifCreateOptions options) {
        String file = path.toString();
        long now = options.clock().epochSeconds();
        int capacity = options.descriptorCapacity();
        long tableSize = (long) capacity * DESCRIPTOR_SIZE;
        SifHeader header = new SifHeader(
                options.launchScript(),
                SifArch.UNKNOWN.code(),
                options.id(),
                now,
                now,
                capacity,
                capacity,
                DEFAULT_DESCRIPTORS_OFFSET,
                tableSize,
                DEFAULT_DESCRIPTORS_OFFSET + tableSize,
                0);
        FileChannel channel = openChannel(path, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        SifWriter writer = new SifWriter(file, channel, options.clock(), header, new SifDescriptor[capacity]);
        writer.closeOnFailure(() -> {
            writer.writeMetadata();
            writer.extendTo(header.dataOffset()); // only matters with no slots, where no table write gets there
        });
        return writer;
    }

    /**
     * Opens an existing image for changes. As in sylabs' sif, changes to a deterministic image (nil ID, unset
     * times) keep times unset, and other images get the current time.
     */
    public static SifWriter open(Path path) {
        return open(path, null);
    }

    /** Opens an existing image for changes, taking times from {@code clock} (null: as {@link #open(Path)}). */
    public static SifWriter open(Path path, SifClock clock) {
        String file = path.toString();
        FileChannel channel = openChannel(path);
        SifLoader.Loaded loaded;
        try {
            loaded = SifLoader.load(new FileByteSource(channel, false), file);
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
        SifDescriptor[] slots = new SifDescriptor[(int) loaded.header().descriptorsTotal()];
        loaded.descriptors().forEach(d -> slots[d.slot()] = d);
        SifClock effective =
                clock != null ? clock : loaded.header().isDeterministic() ? SifClock.unset() : SifClock.system();
        return new SifWriter(file, channel, effective, loaded.header(), slots);
    }

    public SifHeader header() {
        return header;
    }

    /** Used descriptors in slot order. */
    public List<SifDescriptor> descriptors() {
        return Arrays.stream(slots).filter(Objects::nonNull).toList();
    }

    /** Appends an object and returns its descriptor (with its ID). */
    public SifDescriptor add(SifObjectInput input) {
        int slot = firstFreeSlot();
        checkAddable(input, slot + 1);
        long dataEnd = dataEnd();
        long offset = aligned(dataEnd, input.effectiveAlignment());
        Written written = copyIn(input, offset);
        long now = clock.epochSeconds();
        SifDescriptor d = describe(input, slot, offset, dataEnd, written, now);
        slots[slot] = d;
        header = header.withDescriptorsFree(header.descriptorsFree() - 1)
                .withDataSize(d.end() - header.dataOffset())
                .withModifiedAt(now);
        if (d.isPrimaryPartition()) {
            header = header.withArch(d.partition().orElseThrow().arch());
        }
        writeMetadata();
        return d;
    }

    /** Everything that can make an add fail is checked before any data is written. */
    private void checkAddable(SifObjectInput input, int id) {
        if (findById(id).isPresent()) {
            throw new SifException(
                    file,
                    "cannot add an object: slot " + id + " is free but another descriptor already"
                            + " has its object ID " + id);
        }
        if (input.type() == SifDataType.PARTITION && input.extra() == null) {
            throw new IllegalArgumentException("a partition needs partition metadata (filesystem, type, arch)");
        }
        if (input.extra() instanceof SifExtra.Partition p && p.partitionType() == PartitionType.PRIMARY_SYSTEM) {
            descriptors().stream()
                    .filter(SifDescriptor::isPrimaryPartition)
                    .findFirst()
                    .ifPresent(existing -> {
                        throw new SifException(
                                file, "already has a primary system partition (object " + existing.id() + ")");
                    });
        }
    }

    /** The descriptor of data just written at {@code offset}; {@code dataEnd} is where the padding began. */
    private static SifDescriptor describe(
            SifObjectInput input, int slot, long offset, long dataEnd, Written written, long now) {
        SifExtra extra = input.type().isOci()
                ? new SifExtra.OciBlobDigest(written.digest().toString())
                : input.extra();
        long objectTime = input.time() != null ? input.time().getEpochSecond() : now;
        return new SifDescriptor.Builder()
                .slot(slot)
                .dataTypeCode(input.type().code())
                .id(slot + 1)
                .groupRaw(input.groupId() | GROUP_MASK)
                .linkRaw(input.link().toRaw())
                .offset(offset)
                .size(written.size())
                .sizeWithPadding(offset - dataEnd + written.size())
                .times(objectTime, objectTime)
                .rawName(input.name().getBytes(StandardCharsets.UTF_8))
                .rawExtra(extra == null ? new byte[EXTRA_SIZE] : ExtraCodec.encode(extra))
                .build();
    }

    /**
     * Deletes object {@code id}: its slot becomes all zero and free (its ID is reused by the next add), the header
     * arch is reset when it was the primary partition; see {@link SifDeleteOption} for zeroing and compaction.
     */
    public void delete(int id, SifDeleteOption... options) {
        List<SifDeleteOption> opts = List.of(options);
        SifDescriptor d = findById(id).orElseThrow(() -> new SifException(file, "no object with ID " + id));
        if (opts.contains(SifDeleteOption.ZERO_DATA)) {
            writeZeros(d.offset(), d.size());
        }
        slots[d.slot()] = null;
        header = header.withDescriptorsFree(header.descriptorsFree() + 1).withModifiedAt(clock.epochSeconds());
        if (d.isPrimaryPartition()) {
            header = header.withArch(SifArch.UNKNOWN);
        }
        if (opts.contains(SifDeleteOption.COMPACT)) {
            header = header.withDataSize(dataEnd() - header.dataOffset());
            try {
                channel.truncate(header.dataOffset() + header.dataSize());
            } catch (IOException e) {
                throw SifException.io(file, "cannot truncate", e);
            }
        }
        writeMetadata();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw SifException.io(file, "cannot close", e);
        }
    }

    /** {@code digest} is null unless the object is an OCI blob or root index. */
    private record Written(long size, OciDigest digest) {}

    /** Streams the input to {@code offset}; OCI objects are hashed on the way, their digest goes into Extra. */
    private Written copyIn(SifObjectInput input, long offset) {
        MessageDigest sha256 = input.type().isOci() ? OciDigest.newMessageDigest(OciDigest.SHA256) : null;
        long size = 0;
        try (InputStream in = input.data().open()) {
            byte[] buf = new byte[IO_BUFFER];
            for (int n; (n = in.read(buf)) > 0; ) {
                if (size > Long.MAX_VALUE - offset - n) {
                    throw new SifException(file, "object data would extend past the largest file offset");
                }
                if (sha256 != null) {
                    sha256.update(buf, 0, n);
                }
                writeFully(ByteBuffer.wrap(buf, 0, n), offset + size);
                size += n;
            }
        } catch (IOException e) {
            throw SifException.io(
                    file,
                    "cannot read the data of the new " + input.type().displayName() + " object from " + input.source(),
                    e);
        }
        extendTo(offset + size);
        return new Written(size, sha256 == null ? null : OciDigest.of(OciDigest.SHA256, sha256.digest()));
    }

    /**
     * Padding is never written (the file gets a hole), so an empty object after padding would leave the file short
     * of its own offset, which readers reject; one zero byte at the end makes the length right.
     */
    private void extendTo(long length) {
        try {
            if (channel.size() < length) {
                writeFully(ByteBuffer.wrap(new byte[1]), length - 1);
            }
        } catch (IOException e) {
            throw SifException.io(file, "cannot extend", e);
        }
    }

    private void writeZeros(long offset, long size) {
        ByteBuffer zeros = ByteBuffer.allocate(IO_BUFFER);
        for (long done = 0; done < size; ) {
            zeros.clear().limit((int) Math.min(IO_BUFFER, size - done));
            writeFully(zeros, offset + done);
            done += zeros.limit();
        }
    }

    /** Descriptor table first, header last. */
    private void writeMetadata() {
        byte[] table = new byte[Math.toIntExact(header.descriptorsSize())];
        for (int i = 0; i < slots.length; i++) {
            DescriptorCodec.encode(slots[i], table, i * DESCRIPTOR_SIZE);
        }
        writeFully(ByteBuffer.wrap(table), header.descriptorsOffset());
        writeFully(ByteBuffer.wrap(HeaderCodec.encode(header)), 0);
    }

    private void writeFully(ByteBuffer buf, long position) {
        try {
            while (buf.hasRemaining()) {
                channel.write(buf, position + buf.position());
            }
        } catch (IOException e) {
            throw SifException.io(file, "cannot write", e);
        }
    }

    private int firstFreeSlot() {
        for (int i = 0; i < slots.length; i++) {
            if (slots[i] == null) {
                return i;
            }
        }
        throw new SifException(file, "no free descriptor slot for a new object (all " + slots.length + " are used)");
    }

    private Optional<SifDescriptor> findById(int id) {
        return descriptors().stream().filter(d -> d.id() == id).findFirst();
    }

    /** The furthest end of any object, or the data offset when there is none. */
    private long dataEnd() {
        return descriptors().stream().mapToLong(SifDescriptor::end).max().orElse(header.dataOffset());
    }

    private long aligned(long offset, int alignment) {
        if (alignment <= 1 || offset % alignment == 0) {
            return offset;
        }
        long padding = alignment - offset % alignment;
        if (offset > Long.MAX_VALUE - padding) {
            throw new SifException(file, "aligning offset " + offset + " to " + alignment + " bytes overflows");
        }
        return offset + padding;
    }

    private static FileChannel openChannel(Path path, StandardOpenOption... extra) {
        EnumSet<StandardOpenOption> options = EnumSet.of(StandardOpenOption.READ, StandardOpenOption.WRITE);
        options.addAll(Arrays.asList(extra));
        try {
            return FileChannel.open(path, options);
        } catch (IOException e) {
            throw SifException.io(path.toString(), "cannot open for writing", e);
        }
    }

    private void closeOnFailure(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException e) {
            closeQuietly(channel, e);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel channel, RuntimeException pending) {
        try {
            channel.close();
        } catch (IOException e) {
            pending.addSuppressed(e);
        }
    }
}
