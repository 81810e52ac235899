package org.jrunc.sifbundle;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jrunc.JruncException;

/**
 * The marker as JSON. Reading checks everything, because umount acts on what it says: every path must stay inside
 * the bundle, and an unknown version or step kind is refused rather than half understood.
 */
final class MarkerCodec {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MarkerCodec() {}

    static byte[] encode(MountMarker marker) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", MountMarker.VERSION);
        root.put("image", marker.image());
        root.put("createdBundle", marker.createdBundle());
        ArrayNode steps = root.putArray("steps");
        for (Step s : marker.steps()) {
            ObjectNode n = steps.addObject();
            if (s instanceof Step.Dir d) {
                n.put("kind", "dir").put("path", d.path().toString());
            } else if (s instanceof Step.Tree t) {
                n.put("kind", "tree").put("path", t.path().toString());
            } else if (s instanceof Step.File f) {
                n.put("kind", "file").put("path", f.path().toString());
            } else if (s instanceof Step.Mount m) {
                n.put("kind", "mount")
                        .put("path", m.path().toString())
                        .put("fsType", m.fsType())
                        .put("source", m.source())
                        .put("fuse", m.fuse());
            } else if (s instanceof Step.Loop l) {
                n.put("kind", "loop")
                        .put("number", l.number())
                        .put("backingFile", l.backingFile())
                        .put("offset", l.offset())
                        .put("sizeLimit", l.sizeLimit());
            }
        }
        try {
            return (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n")
                    .getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** {@code where} names the marker file in messages. */
    static MountMarker decode(byte[] data, String where) {
        JsonNode root;
        try {
            root = JSON.readTree(data);
        } catch (JsonProcessingException e) {
            throw new JruncException(where + ": invalid JSON: " + Shown.of(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new JruncException(where + ": cannot parse: " + Shown.of(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new JruncException(where + ": not a JSON object");
        }
        JsonNode version = root.get("version");
        if (version == null || !version.isInt() || version.intValue() != MountMarker.VERSION) {
            throw new JruncException(
                    where + ": version " + version + " is not " + MountMarker.VERSION + " (written by another jrunc?)");
        }
        JsonNode steps = root.get("steps");
        if (steps == null || !steps.isArray()) {
            throw new JruncException(where + ": steps is not an array");
        }
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            out.add(step(steps.get(i), where + ": steps[" + i + "]"));
        }
        return new MountMarker(text(root, "image", where), bool(root, "createdBundle", where), out);
    }

    private static Step step(JsonNode n, String where) {
        if (!n.isObject()) {
            throw new JruncException(where + " is not an object");
        }
        String kind = text(n, "kind", where);
        return switch (kind) {
            case "dir" -> new Step.Dir(path(n, where));
            case "tree" -> new Step.Tree(path(n, where));
            case "file" -> new Step.File(path(n, where));
            case "mount" ->
                new Step.Mount(
                        path(n, where), text(n, "fsType", where), text(n, "source", where), bool(n, "fuse", where));
            case "loop" ->
                new Step.Loop(
                        (int) number(n, "number", where),
                        text(n, "backingFile", where),
                        number(n, "offset", where),
                        number(n, "sizeLimit", where));
            default -> throw new JruncException(where + ": unknown kind \"" + Shown.of(kind) + "\"");
        };
    }

    /** A relative path that stays inside the bundle: no "..", no ".", not absolute, not empty. */
    private static Path path(JsonNode n, String where) {
        String text = text(n, "path", where);
        boolean inside = !text.isEmpty() && text.indexOf('\0') < 0 && !text.startsWith("/");
        Path p = inside ? Path.of(text) : null;
        for (int i = 0; inside && i < p.getNameCount(); i++) {
            String part = p.getName(i).toString();
            inside = !part.equals("..") && !part.equals(".");
        }
        if (!inside) {
            throw new JruncException(where + ": path \"" + Shown.of(text) + "\" is not a path inside the bundle");
        }
        return p;
    }

    private static String text(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new JruncException(where + ": " + field + " is missing or not a string");
        }
        return v.asText();
    }

    private static boolean bool(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.isBoolean()) {
            throw new JruncException(where + ": " + field + " is missing or not true/false");
        }
        return v.booleanValue();
    }

    private static long number(JsonNode n, String field, String where) {
        JsonNode v = n.get(field);
        if (v == null || !v.canConvertToLong() || !v.isIntegralNumber() || v.longValue() < 0) {
            throw new JruncException(where + ": " + field + " is missing or not a non-negative integer");
        }
        return v.longValue();
    }
}
