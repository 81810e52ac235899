package org.jrunc.sif;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/** Little-endian pokes into image bytes, for building corrupt or odd images from good ones. */
final class TestBytes {
    private TestBytes() {}

    static byte[] read(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path p, byte[] data) {
        try {
            Files.write(p, data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void putInt(byte[] data, int at, int value) {
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putInt(at, value);
    }

    static void putLong(byte[] data, int at, long value) {
        ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).putLong(at, value);
    }

    static long getLong(byte[] data, int at) {
        return ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN).getLong(at);
    }
}
