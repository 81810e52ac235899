package org.jrunc.sif;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Maps OCI JSON documents onto the Oci* records, checking every field it uses: the documents come from the image
 * file, so a wrong type or a malformed digest must be a one-line {@link SifException}, not a Jackson or
 * NullPointer exception. Unknown fields are ignored, as OCI requires.
 */
public final class OciJson {
    private OciJson() {}

    private static final ObjectMapper MAPPER =
            new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final int MAX_PARSER_MESSAGE = 200;

    /** Parses a document that must be a JSON object; {@code where} names it in messages ("object 4 (OCI.Blob)"). */
    public static JsonNode parseObject(byte[] data, String file, String where) {
        JsonNode node;
        try {
            node = MAPPER.readTree(data);
        } catch (JsonProcessingException e) {
            throw new SifException(file, where + ": invalid JSON: " + shortened(e.getOriginalMessage()));
        } catch (IOException e) {
            throw SifException.io(file, where + ": cannot parse JSON", e);
        }
        if (node == null || !node.isObject()) {
            throw new SifException(file, where + ": expected a JSON object");
        }
        return node;
    }

    public static OciIndex index(JsonNode node, String file, String where) {
        List<OciDescriptor> manifests = new ArrayList<>();
        JsonNode array = optionalArray(node, "manifests", file, where);
        for (int i = 0; i < array.size(); i++) {
            manifests.add(descriptor(array.get(i), file, where + ": manifests[" + i + "]"));
        }
        return new OciIndex(
                schemaVersion(node, file, where),
                text(node, "mediaType", file, where),
                manifests,
                annotations(node, file, where));
    }

    public static OciManifest manifest(JsonNode node, String file, String where) {
        JsonNode config = node.get("config");
        if (config == null) {
            throw new SifException(file, where + ": manifest has no config");
        }
        List<OciDescriptor> layers = new ArrayList<>();
        JsonNode array = optionalArray(node, "layers", file, where);
        for (int i = 0; i < array.size(); i++) {
            layers.add(descriptor(array.get(i), file, where + ": layers[" + i + "]"));
        }
        return new OciManifest(
                schemaVersion(node, file, where),
                text(node, "mediaType", file, where),
                descriptor(config, file, where + ": config"),
                layers,
                annotations(node, file, where));
    }

    public static OciImageConfig config(JsonNode node, String file, String where) {
        List<String> diffIds = new ArrayList<>();
        JsonNode rootfs = node.get("rootfs");
        if (rootfs != null && !rootfs.isNull()) {
            if (!rootfs.isObject()) {
                throw new SifException(file, where + ": \"rootfs\" is not an object");
            }
            JsonNode ids = optionalArray(rootfs, "diff_ids", file, where + ": rootfs");
            for (int i = 0; i < ids.size(); i++) {
                if (!ids.get(i).isTextual()) {
                    throw new SifException(file, where + ": rootfs.diff_ids[" + i + "] is not a string");
                }
                diffIds.add(ids.get(i).asText());
            }
        }
        return new OciImageConfig(
                text(node, "architecture", file, where),
                text(node, "os", file, where),
                text(node, "variant", file, where),
                diffIds,
                node);
    }

    public static OciDescriptor descriptor(JsonNode node, String file, String where) {
        if (node == null || !node.isObject()) {
            throw new SifException(file, where + ": descriptor is not a JSON object");
        }
        JsonNode digestNode = node.get("digest");
        if (digestNode == null || !digestNode.isTextual()) {
            throw new SifException(file, where + ": descriptor has no digest");
        }
        OciDigest digest = OciDigest.parse(digestNode.asText())
                .orElseThrow(() -> new SifException(
                        file,
                        where + ": unsupported or malformed digest \"" + FixedText.printable(digestNode.asText())
                                + "\""));
        JsonNode sizeNode = node.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.asLong() < 0) {
            throw new SifException(file, where + ": descriptor size is missing or not a non-negative integer");
        }
        return new OciDescriptor(
                text(node, "mediaType", file, where),
                digest,
                sizeNode.asLong(),
                text(node, "artifactType", file, where),
                annotations(node, file, where),
                platform(node, file, where));
    }

    private static Optional<OciPlatform> platform(JsonNode node, String file, String where) {
        JsonNode p = node.get("platform");
        if (p == null || p.isNull()) {
            return Optional.empty();
        }
        if (!p.isObject()) {
            throw new SifException(file, where + ": \"platform\" is not an object");
        }
        String at = where + ": platform";
        return Optional.of(new OciPlatform(
                text(p, "architecture", file, at), text(p, "os", file, at), text(p, "variant", file, at)));
    }

    private static int schemaVersion(JsonNode node, String file, String where) {
        JsonNode v = node.get("schemaVersion");
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw new SifException(file, where + ": \"schemaVersion\" is not an integer");
        }
        return v.asInt();
    }

    /** A string field, or "" when absent or null. */
    private static String text(JsonNode node, String field, String file, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return "";
        }
        if (!v.isTextual()) {
            throw new SifException(file, where + ": \"" + field + "\" is not a string");
        }
        return v.asText();
    }

    /** An array field, or an empty array when absent or null. */
    private static JsonNode optionalArray(JsonNode node, String field, String file, String where) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return MAPPER.createArrayNode();
        }
        if (!v.isArray()) {
            throw new SifException(file, where + ": \"" + field + "\" is not an array");
        }
        return v;
    }

    private static Map<String, String> annotations(JsonNode node, String file, String where) {
        JsonNode v = node.get("annotations");
        Map<String, String> result = new LinkedHashMap<>();
        if (v == null || v.isNull()) {
            return result;
        }
        if (!v.isObject()) {
            throw new SifException(file, where + ": \"annotations\" is not an object");
        }
        for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!e.getValue().isTextual()) {
                throw new SifException(
                        file, where + ": annotation \"" + FixedText.printable(e.getKey()) + "\" is not a string");
            }
            result.put(e.getKey(), e.getValue().asText());
        }
        return result;
    }

    private static String shortened(String message) {
        String m = message == null ? "parse error" : message;
        return m.length() <= MAX_PARSER_MESSAGE ? m : m.substring(0, MAX_PARSER_MESSAGE) + "...";
    }

    /**
     * A descriptor as OCI JSON, for the documents a pull writes (manifests, indexes): mediaType, digest, size, and
     * annotations (sorted by key) when there are any. The same descriptor always gives the same bytes.
     */
    public static ObjectNode descriptorNode(OciDescriptor d) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        if (!d.annotations().isEmpty()) {
            ObjectNode annotations = node.putObject("annotations");
            d.annotations().entrySet().stream()
                    .sorted(Map.Entry.comparingByKey())
                    .forEach(e -> annotations.put(e.getKey(), e.getValue()));
        }
        return node;
    }
}
