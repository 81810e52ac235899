package org.jrunc.sif;

import java.util.UUID;

/**
 * How {@link SifWriter#create} lays out a new image. {@link #defaults()} matches Singularity builds (random ID,
 * current time, 48 slots at offset 4096); {@link #deterministic()} matches sylabs' test images and every OCI-SIF
 * (nil ID, unset times), so equal input gives byte-identical files.
 */
public record SifCreateOptions(String launchScript, UUID id, SifClock clock, int descriptorCapacity) {
    /** Singularity's launch script, so that an executable image runs itself. */
    public static final String SINGULARITY_LAUNCH_SCRIPT = "#!/usr/bin/env run-singularity\n";

    public SifCreateOptions {
        if (launchScript.length() >= SifFormat.LAUNCH_SCRIPT_SIZE || !FixedText.isAscii(launchScript)) {
            throw new IllegalArgumentException(
                    "launch script must be ASCII and shorter than " + SifFormat.LAUNCH_SCRIPT_SIZE + " bytes");
        }
        if (descriptorCapacity < 0 || descriptorCapacity > SifFormat.MAX_DESCRIPTORS) {
            throw new IllegalArgumentException("descriptor capacity must be 0.." + SifFormat.MAX_DESCRIPTORS);
        }
    }

    public static SifCreateOptions defaults() {
        return new SifCreateOptions("", UUID.randomUUID(), SifClock.system(), SifFormat.DEFAULT_DESCRIPTOR_CAPACITY);
    }

    public static SifCreateOptions deterministic() {
        return new SifCreateOptions("", SifHeader.NIL_ID, SifClock.unset(), SifFormat.DEFAULT_DESCRIPTOR_CAPACITY);
    }

    public SifCreateOptions withLaunchScript(String script) {
        return new SifCreateOptions(script, id, clock, descriptorCapacity);
    }

    public SifCreateOptions withId(UUID newId) {
        return new SifCreateOptions(launchScript, newId, clock, descriptorCapacity);
    }

    public SifCreateOptions withClock(SifClock newClock) {
        return new SifCreateOptions(launchScript, id, newClock, descriptorCapacity);
    }

    /** Number of descriptor slots; fixed for the life of the image (the table is not grown). */
    public SifCreateOptions withDescriptorCapacity(int capacity) {
        return new SifCreateOptions(launchScript, id, clock, capacity);
    }
}
