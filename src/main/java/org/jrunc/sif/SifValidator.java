package org.jrunc.sif;

import static org.jrunc.sif.SifFormat.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Geometry checks that make a loaded image safe to read and to append to: every region inside the file, no
 * arithmetic overflow (all sums are checked as "size &lt;= fileSize - offset"), counts consistent. Go's sif checks
 * much less; these are the conditions under which this package's reads and writes stay in bounds.
 */
final class SifValidator {
    private SifValidator() {}

    static void checkHeader(SifHeader h, long fileSize, String file) {
        long total = h.descriptorsTotal();
        if (total < 0) {
            throw new SifException(file, "descriptor count " + total + " is negative");
        }
        if (total > MAX_DESCRIPTORS) {
            throw new SifException(
                    file, "descriptor table has " + total + " slots; at most " + MAX_DESCRIPTORS + " are supported");
        }
        if (h.descriptorsFree() < 0 || h.descriptorsFree() > total) {
            throw new SifException(
                    file,
                    "free descriptor count " + h.descriptorsFree() + " is not between 0 and the total (" + total + ")");
        }
        long expectedSize = total * DESCRIPTOR_SIZE;
        if (h.descriptorsSize() != expectedSize) {
            throw new SifException(
                    file,
                    "descriptor table size " + h.descriptorsSize() + " does not match " + total + " descriptors of "
                            + DESCRIPTOR_SIZE + " bytes (" + expectedSize + ")");
        }
        if (h.descriptorsOffset() < HEADER_SIZE) {
            throw new SifException(
                    file,
                    "descriptor table offset " + h.descriptorsOffset() + " overlaps the header (" + HEADER_SIZE
                            + " bytes)");
        }
        checkRange(file, "descriptor table", h.descriptorsOffset(), h.descriptorsSize(), fileSize);
        checkRange(file, "data section", h.dataOffset(), h.dataSize(), fileSize);
        long tableEnd = h.descriptorsOffset() + h.descriptorsSize();
        // New data is appended from DataOffset on; a data section starting inside the table would overwrite it.
        if (h.dataOffset() < tableEnd) {
            throw new SifException(
                    file,
                    "data offset " + h.dataOffset() + " is inside the header or descriptor table (which ends at "
                            + tableEnd + ")");
        }
    }

    static void checkDescriptor(SifDescriptor d, SifHeader h, long fileSize, String file) {
        String what = "descriptor " + (d.slot() + 1) + ": data";
        checkRange(file, what, d.offset(), d.size(), fileSize);
        if (d.offset() < h.dataOffset()) {
            throw new SifException(
                    file,
                    what + " offset " + d.offset() + " is before the data section (which starts at " + h.dataOffset()
                            + ")");
        }
    }

    static void checkTable(List<SifDescriptor> used, SifHeader h, String file) {
        Map<Integer, SifDescriptor> byId = new HashMap<>();
        for (SifDescriptor d : used) {
            SifDescriptor other = byId.putIfAbsent(d.id(), d);
            if (other != null) {
                throw new SifException(
                        file,
                        "descriptors " + (other.slot() + 1) + " and " + (d.slot() + 1) + " both have object ID "
                                + d.id());
            }
        }
        if (used.size() != h.descriptorsUsed()) {
            throw new SifException(
                    file,
                    "header says " + h.descriptorsFree() + " of " + h.descriptorsTotal() + " descriptors are free, but "
                            + used.size() + " are in use");
        }
    }

    /** {@code [offset, offset+size)} lies inside a file of {@code fileSize} bytes, with no overflow. */
    static void checkRange(String file, String what, long offset, long size, long fileSize) {
        if (offset < 0) {
            throw new SifException(file, what + " offset " + offset + " is negative");
        }
        if (size < 0) {
            throw new SifException(file, what + " size " + size + " is negative");
        }
        if (offset > fileSize || size > fileSize - offset) {
            throw new SifException(
                    file,
                    what + " offset " + offset + " + size " + size + " is past the end of the file (" + fileSize
                            + " bytes)");
        }
    }
}
