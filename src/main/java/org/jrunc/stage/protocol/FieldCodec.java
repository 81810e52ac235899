package org.jrunc.stage.protocol;

/**
 * How one plan type is written to and read back from the binary plan format (see {@link PlanCodec}). A codec writes
 * the fields in declaration order and reads them back in the same order; it never sees null, which {@link
 * PlanWriter#value} and {@link PlanReader#value} handle with a presence byte.
 */
interface FieldCodec<T> {
    void write(PlanWriter w, T value);

    T read(PlanReader r);
}
