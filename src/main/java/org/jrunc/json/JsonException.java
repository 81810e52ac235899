package org.jrunc.json;

/** Malformed JSON; the message gives the offset. */
public final class JsonException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JsonException(String message) {
        super(message);
    }
}
