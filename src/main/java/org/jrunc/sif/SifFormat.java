package org.jrunc.sif;

import java.nio.charset.StandardCharsets;

/** Byte-level constants of the SIF container format (see docs/SIF-FORMAT.md). All integers are little-endian. */
final class SifFormat {
    private SifFormat() {}

    static final int HEADER_SIZE = 128;
    static final int LAUNCH_SCRIPT_SIZE = 32;
    static final int MAGIC_OFFSET = 32;
    static final byte[] MAGIC = "SIF_MAGIC\0".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION_OFFSET = 42;
    static final byte[] VERSION = "01\0".getBytes(StandardCharsets.US_ASCII);
    static final int ARCH_OFFSET = 45;
    static final int ARCH_SIZE = 3;
    static final int UUID_OFFSET = 48;
    static final int CREATED_OFFSET = 64;
    static final int MODIFIED_OFFSET = 72;
    static final int DESCRIPTORS_FREE_OFFSET = 80;
    static final int DESCRIPTORS_TOTAL_OFFSET = 88;
    static final int DESCRIPTORS_OFFSET_OFFSET = 96;
    static final int DESCRIPTORS_SIZE_OFFSET = 104;
    static final int DATA_OFFSET_OFFSET = 112;
    static final int DATA_SIZE_OFFSET = 120;

    static final int DESCRIPTOR_SIZE = 585;
    static final int D_DATA_TYPE = 0;
    static final int D_USED = 4;
    static final int D_ID = 5;
    static final int D_GROUP = 9;
    static final int D_LINK = 13;
    static final int D_OFFSET = 17;
    static final int D_SIZE = 25;
    static final int D_SIZE_WITH_PADDING = 33;
    static final int D_CREATED = 41;
    static final int D_MODIFIED = 49;
    static final int D_UID = 57;
    static final int D_GID = 65;
    static final int D_NAME = 73;
    static final int NAME_SIZE = 128;
    static final int D_EXTRA = 201;
    static final int EXTRA_SIZE = 384;

    /** Top nibble of GroupID/LinkedID: set on every stored group ID, and marks a LinkedID as a group link. */
    static final int GROUP_MASK = 0xf000_0000;

    static final int MAX_GROUP_ID = ~GROUP_MASK;

    static final long DEFAULT_DESCRIPTORS_OFFSET = 4096;
    static final int DEFAULT_DESCRIPTOR_CAPACITY = 48;
    static final int PARTITION_ALIGNMENT = 4096;

    /**
     * Real images have 48 slots (OCI-SIFs a few dozen). The cap keeps a hostile (possibly sparse) file from making
     * us decode and hold millions of descriptors; 65536 slots is a 38 MB table.
     */
    static final int MAX_DESCRIPTORS = 65536;
}
