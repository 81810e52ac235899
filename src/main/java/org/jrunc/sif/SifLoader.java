package org.jrunc.sif;

import static org.jrunc.sif.SifFormat.*;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates header and descriptor table; shared by {@link SifImage} and {@link SifWriter}. */
final class SifLoader {
    private SifLoader() {}

    /** Slots decoded per read: keeps each read small whatever the table size. */
    private static final int SLOTS_PER_READ = 64;

    record Loaded(long fileSize, SifHeader header, List<SifDescriptor> descriptors) {}

    static Loaded load(ByteSource source, String file) {
        long fileSize;
        try {
            fileSize = source.size();
        } catch (IOException e) {
            throw SifException.io(file, "cannot get file size", e);
        }
        if (fileSize < HEADER_SIZE) {
            throw new SifException(
                    file, "file is " + fileSize + " bytes, too short for a SIF header (" + HEADER_SIZE + " bytes)");
        }
        byte[] rawHeader = new byte[HEADER_SIZE];
        ByteSource.readFully(source, 0, rawHeader, file, "header");
        SifHeader header = HeaderCodec.decode(rawHeader, file);
        SifValidator.checkHeader(header, fileSize, file);

        List<SifDescriptor> used = new ArrayList<>();
        int total = (int) header.descriptorsTotal(); // checked <= MAX_DESCRIPTORS
        for (int first = 0; first < total; first += SLOTS_PER_READ) {
            int count = Math.min(SLOTS_PER_READ, total - first);
            byte[] chunk = new byte[count * DESCRIPTOR_SIZE];
            long at = header.descriptorsOffset() + (long) first * DESCRIPTOR_SIZE;
            ByteSource.readFully(source, at, chunk, file, "descriptor table");
            for (int i = 0; i < count; i++) {
                SifDescriptor d = DescriptorCodec.decode(chunk, i * DESCRIPTOR_SIZE, first + i, file);
                if (d != null) {
                    SifValidator.checkDescriptor(d, header, fileSize, file);
                    used.add(d);
                }
            }
        }
        SifValidator.checkTable(used, header, file);
        return new Loaded(fileSize, header, List.copyOf(used));
    }
}
