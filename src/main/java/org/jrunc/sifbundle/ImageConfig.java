package org.jrunc.sifbundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.jrunc.JruncException;

/**
 * The fields of an OCI image configuration ("config" of an image config blob, or a native SIF's oci-config.json)
 * that become the runtime config, checked field by field: the document comes from the image, so a wrong type is a
 * one-line error naming where it came from and the field. Absent or null fields are empty.
 */
record ImageConfig(
        List<String> entrypoint,
        List<String> cmd,
        List<String> env,
        String workingDir,
        String user,
        List<Volume> volumes) {

    static final ImageConfig EMPTY = new ImageConfig(List.of(), List.of(), List.of(), "", "", List.of());

    ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        volumes = List.copyOf(volumes);
    }

    /** {@code where} names the document, e.g. "busybox.sif: object 3 (oci-config.json)". */
    static ImageConfig parse(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return EMPTY;
        }
        if (!node.isObject()) {
            throw new JruncException(where + ": image config is not a JSON object");
        }
        List<String> env = strings(node, "Env", where);
        for (int i = 0; i < env.size(); i++) {
            int eq = env.get(i).indexOf('=');
            if (eq <= 0) {
                throw new JruncException(where + ": Env[" + i + "] \"" + Shown.of(env.get(i)) + "\" is not NAME=VALUE");
            }
        }
        String workingDir = text(node, "WorkingDir", where);
        if (!workingDir.isEmpty() && !workingDir.startsWith("/")) {
            throw new JruncException(where + ": WorkingDir \"" + Shown.of(workingDir) + "\" is not an absolute path");
        }
        return new ImageConfig(
                strings(node, "Entrypoint", where),
                strings(node, "Cmd", where),
                env,
                workingDir,
                text(node, "User", where),
                Volume.plan(volumeKeys(node, where), where));
    }

    private static List<String> strings(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isArray()) {
            throw new JruncException(where + ": " + field + " is not an array of strings");
        }
        for (int i = 0; i < value.size(); i++) {
            if (!value.get(i).isTextual()) {
                throw new JruncException(where + ": " + field + "[" + i + "] is not a string");
            }
            out.add(value.get(i).asText());
        }
        return out;
    }

    private static String text(JsonNode node, String field, String where) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return "";
        }
        if (!value.isTextual()) {
            throw new JruncException(where + ": " + field + " is not a string");
        }
        return value.asText();
    }

    /** Volumes is a set written as an object whose keys are the paths ({"/data": {}}). */
    private static List<String> volumeKeys(JsonNode node, String where) {
        JsonNode value = node.get("Volumes");
        List<String> out = new ArrayList<>();
        if (value == null || value.isNull()) {
            return out;
        }
        if (!value.isObject()) {
            throw new JruncException(where + ": Volumes is not an object");
        }
        for (Iterator<String> it = value.fieldNames(); it.hasNext(); ) {
            out.add(it.next());
        }
        return out;
    }
}
