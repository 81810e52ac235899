package org.jrunc.attach;

import java.io.ByteArrayOutputStream;

/**
 * Spots the detach sequence ctrl-p ctrl-q (Docker's and Singularity's) in what the user types, across reads: a ctrl-p
 * at the end of one read is held back until the next byte shows whether it starts the sequence. Everything that is not
 * the sequence is passed on unchanged, a lone ctrl-p included.
 */
public final class DetachKeys {
    static final byte CTRL_P = 0x10;
    static final byte CTRL_Q = 0x11;

    /** What to send to the container, and whether the user asked to detach (after sending it). */
    public record Result(byte[] forward, boolean detach) {}

    private boolean heldCtrlP;

    public Result feed(byte[] buf, int off, int len) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(len + 1);
        for (int i = off; i < off + len; i++) {
            byte b = buf[i];
            if (heldCtrlP) {
                heldCtrlP = false;
                if (b == CTRL_Q) {
                    return new Result(out.toByteArray(), true);
                }
                out.write(CTRL_P);
            }
            if (b == CTRL_P) {
                heldCtrlP = true;
            } else {
                out.write(b);
            }
        }
        return new Result(out.toByteArray(), false);
    }
}
