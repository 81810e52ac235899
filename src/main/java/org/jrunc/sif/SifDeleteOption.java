package org.jrunc.sif;

/** Options of {@link SifWriter#delete}, as sylabs' {@code OptDeleteZero} and {@code OptDeleteCompact}. */
public enum SifDeleteOption {
    /** Overwrite the object's bytes with zeros (otherwise they stay in the file, unreferenced). */
    ZERO_DATA,
    /**
     * Recompute the data size and truncate the file after the last remaining object. Only trailing space is
     * reclaimed; holes between objects stay, because objects are never moved.
     */
    COMPACT
}
