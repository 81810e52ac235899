package org.jrunc.json;

/** Malformed JSON; the message gives the offset. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public JsonException(String message) {
        this(message, -1);
    }

    public JsonException(String message, int offset) {
        super(offset < 0 ? message : message + " at offset " + offset);
        this.offset = offset;
    }

    /** Where in the text the problem is, or -1. */
    public int offset() {
        return offset;
    }

    /** The message without the offset. */
    public String reason() {
        String m = getMessage();
        return offset < 0 ? m : m.substring(0, m.lastIndexOf(" at offset "));
    }
}
