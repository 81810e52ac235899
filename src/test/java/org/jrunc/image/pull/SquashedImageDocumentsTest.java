package org.jrunc.image.pull;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jrunc.JruncException;
import org.jrunc.sif.OciDescriptor;
import org.jrunc.sif.OciDigest;
import org.junit.jupiter.api.Test;

class SquashedImageDocumentsTest {
    private static final OciDigest SQUASHFS = OciDigest.sha256(new byte[] {1});
    private static final List<OciDescriptor> LAYERS = List.of(layer("a"), layer("b"));
    private static final String CONFIG = "{\"architecture\":\"amd64\",\"config\":{\"Env\":[\"A=1\"]},"
            + "\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\"sha256:" + "1".repeat(64) + "\",\"sha256:"
            + "2".repeat(64) + "\"]},\"history\":[{\"created_by\":\"ADD a\"},{\"created_by\":\"RUN b\"},"
            + "{\"created_by\":\"ENV A=1\",\"empty_layer\":true}]}";

    private static OciDescriptor layer(String seed) {
        return new OciDescriptor(
                "application/vnd.oci.image.layer.v1.tar+gzip",
                OciDigest.sha256(seed.getBytes(StandardCharsets.UTF_8)),
                1,
                "",
                Map.of(),
                Optional.empty());
    }

    /** The squashfs is the image's one layer: one diff_id, and one non-empty history entry, as OCI requires. */
    @Test
    void theConfigNamesTheSquashfsLayerAndKeepsTheRest() throws Exception {
        byte[] out = SquashedImageDocuments.config(CONFIG.getBytes(StandardCharsets.UTF_8), "src", SQUASHFS, LAYERS);
        JsonNode config = new ObjectMapper().readTree(out);
        assertEquals("A=1", config.at("/config/Env/0").asText());
        assertEquals(1, config.at("/rootfs/diff_ids").size());
        assertEquals(SQUASHFS.toString(), config.at("/rootfs/diff_ids/0").asText());
        JsonNode history = config.get("history");
        assertEquals(4, history.size());
        long nonEmpty = 0;
        for (JsonNode h : history) {
            nonEmpty += h.path("empty_layer").asBoolean(false) ? 0 : 1;
        }
        assertEquals(1, nonEmpty);
        assertTrue(history.get(3)
                .get("comment")
                .asText()
                .contains(LAYERS.get(1).digest().toString()));
        assertArrayEquals(
                out, SquashedImageDocuments.config(CONFIG.getBytes(StandardCharsets.UTF_8), "src", SQUASHFS, LAYERS));
    }

    @Test
    void aConfigThatIsNotAnObjectIsRefused() {
        JruncException e = assertThrows(
                JruncException.class,
                () -> SquashedImageDocuments.config(
                        "[1]".getBytes(StandardCharsets.UTF_8), "docker://x", SQUASHFS, LAYERS));
        assertEquals("docker://x: image config is not a JSON object", e.getMessage());
    }

    @Test
    void progressLinesShowBytesRateAndEta() {
        OciDescriptor blob = new OciDescriptor(
                "application/vnd.oci.image.layer.v1.tar+gzip",
                OciDigest.sha256(new byte[] {2}),
                4 * 1024 * 1024,
                "",
                Map.of(),
                Optional.empty());
        Transfer t = new Transfer(blob, done -> {});
        t.transferred(1024 * 1024);
        String line = TerminalDisplay.line(t);
        assertTrue(line.startsWith("Copying blob " + blob.digest().toString().substring(0, 19) + " [======>"), line);
        assertTrue(line.contains("1.0 MiB / 4.0 MiB"), line);
        assertTrue(line.contains("/s  ETA "), line);
        t.transferred(3 * 1024 * 1024);
        assertTrue(TerminalDisplay.line(t).contains("done in "), TerminalDisplay.line(t));
        assertEquals("512 B", ByteSize.human(512));
        assertEquals("1.5 GiB", ByteSize.human(1.5 * 1024 * 1024 * 1024));
    }
}
