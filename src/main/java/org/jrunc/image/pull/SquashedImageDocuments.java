package org.jrunc.image.pull;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.jrunc.sif.OciJson;
import org.jrunc.sif.OciMediaTypes;

/**
 * The JSON documents of a squashed image, as Singularity writes a pulled OCI-SIF: the source's config with one diff_id
 * (the squashfs layer is stored uncompressed, so its digest is its diff_id) and a history that marks the source's
 * layer entries empty and adds the squash; an OCI manifest naming the config and the squashfs layer; a root index
 * naming the manifest. Field order follows the source, so the same source gives the same bytes.
 */
final class SquashedImageDocuments {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SquashedImageDocuments() {}

    static byte[] config(byte[] source, String where, OciDigest squashfs, List<OciDescriptor> sourceLayers) {
        JsonNode parsed;
        try {
            parsed = JSON.readTree(source);
        } catch (IOException e) {
            throw new JruncException(where + ": image config: invalid JSON: " + JruncException.reason(e), e);
        }
        if (parsed == null || !parsed.isObject()) {
            throw new JruncException(where + ": image config is not a JSON object");
        }
        ObjectNode config = (ObjectNode) parsed;
        ObjectNode rootfs = config.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(squashfs.toString());
        JsonNode oldHistory = config.get("history");
        ArrayNode history = config.putArray("history");
        if (oldHistory != null && oldHistory.isArray()) {
            for (JsonNode entry : oldHistory) {
                if (entry.isObject()) {
                    ObjectNode copy = ((ObjectNode) entry).deepCopy();
                    copy.put("empty_layer", true);
                    history.add(copy);
                }
            }
        }
        StringBuilder from = new StringBuilder();
        for (OciDescriptor layer : sourceLayers) {
            from.append(from.length() == 0 ? "" : " ").append(layer.digest());
        }
        ObjectNode squash = history.addObject();
        squash.put("created_by", "jrunc pull");
        squash.put("comment", "oci-sif created from " + from);
        return bytes(config);
    }

    static byte[] manifest(OciDescriptor config, OciDescriptor layer) {
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", OciMediaTypes.OCI_MANIFEST);
        manifest.set("config", OciJson.descriptorNode(config));
        manifest.putArray("layers").add(OciJson.descriptorNode(layer));
        return bytes(manifest);
    }

    static byte[] rootIndex(OciDescriptor manifest) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", OciMediaTypes.OCI_INDEX);
        index.putArray("manifests").add(OciJson.descriptorNode(manifest));
        return bytes(index);
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }
}
