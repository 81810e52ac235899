package org.jrunc.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads config.json and the other OCI JSON inputs into the records of this package, through {@link ConfigReader}.
 * Unknown properties are ignored (the spec requires it); wrong types are errors that name the field. jackson's mapper,
 * configured to the same rules, writes the records back out and serves as the reference in tests.
 */
public final class SpecLoader {
    /** jackson's mapper, built on first use only: loading it costs more than a whole `create` otherwise does. */
    private static final class Jackson {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                // a number or boolean where a string belongs is a mistake in the config, not something to convert
                .withCoercionConfig(
                        LogicalType.Textual,
                        cfg -> cfg.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
                .build();
    }

    private SpecLoader() {}

    public static ObjectMapper mapper() {
        return Jackson.MAPPER;
    }

    public static Spec loadSpec(Path configJson) {
        return read(configJson, Spec.class);
    }

    public static <T> T read(Path file, Class<T> type) {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString(), type);
        } catch (NoSuchFileException e) {
            throw new ConfigException(file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException(file + ": " + e.getMessage());
        }
    }

    /** Parses a stream; {@code name} is what error messages call it (e.g. "config.json" or "process.json"). */
    public static <T> T read(InputStream in, String name, Class<T> type) {
        try {
            return ConfigReader.read(new String(in.readAllBytes(), StandardCharsets.UTF_8), name, type);
        } catch (IOException e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
    }

    /**
     * The same with jackson-databind, configured by {@link #mapper()}: the reference ConfigReader is tested against.
     */
    public static <T> T readWithJackson(InputStream in, String name, Class<T> type) {
        try {
            T value = Jackson.MAPPER.readValue(in, type);
            if (value == null) {
                throw new ConfigException(name + ": empty document");
            }
            return value;
        } catch (JsonMappingException e) {
            throw new ConfigException(name + ": " + describe(e));
        } catch (JsonProcessingException e) {
            throw new ConfigException(
                    name + ": invalid JSON at line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ": "
                            + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException(name + ": " + e.getMessage());
        }
    }

    public static String toJson(Object value) {
        try {
            return Jackson.MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toPrettyJson(Object value) {
        try {
            return Jackson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** "field process.args[0]: expected a string" rather than Jackson's multi-line text. */
    static String describe(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                if (path.length() > 0) {
                    path.append('.');
                }
                path.append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        String detail = e.getOriginalMessage().lines().findFirst().orElse("invalid value");
        String reason = simplify(detail);
        return path.length() == 0 ? reason : "field " + path + ": " + reason;
    }

    private static String simplify(String detail) {
        if (detail.startsWith("Cannot deserialize value of type `java.util.")) {
            return "expected an array or object of the right kind";
        }
        if (detail.startsWith("Cannot deserialize value of type `java.lang.String`")) {
            return "expected a string";
        }
        if (detail.startsWith("Cannot deserialize value of type `java.lang.Long`")
                || detail.startsWith("Cannot deserialize value of type `java.lang.Integer`")) {
            return "expected an integer";
        }
        if (detail.startsWith("Cannot deserialize value of type `java.lang.Boolean`")) {
            return "expected true or false";
        }
        if (detail.startsWith("Cannot coerce")) {
            return "wrong type: " + detail.replaceAll(" \\(.*", "");
        }
        if (detail.startsWith("Cannot deserialize value of type `org.jrunc.config.")) {
            return "expected an object";
        }
        if (detail.startsWith("Numeric value") && detail.contains("out of range")) {
            return "number out of range";
        }
        return detail;
    }
}
