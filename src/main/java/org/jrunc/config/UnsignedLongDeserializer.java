package org.jrunc.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import java.io.IOException;
import java.math.BigInteger;

/**
 * Reads a JSON uint64 into the bits of a Java long, so 18446744073709551615 (the usual "unlimited") becomes -1.
 * Negative numbers are accepted too, because runc's generator writes some unsigned fields as -1.
 */
public final class UnsignedLongDeserializer extends JsonDeserializer<Long> {
    private static final BigInteger MAX_UNSIGNED = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger MIN_SIGNED = BigInteger.valueOf(Long.MIN_VALUE);

    @Override
    public Long deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT) {
            return (Long) ctxt.handleUnexpectedToken(Long.class, p);
        }
        BigInteger v = p.getBigIntegerValue();
        if (v.compareTo(MAX_UNSIGNED) > 0 || v.compareTo(MIN_SIGNED) < 0) {
            throw ctxt.weirdNumberException(v, Long.class, "out of the uint64 range");
        }
        return v.longValue();
    }
}
