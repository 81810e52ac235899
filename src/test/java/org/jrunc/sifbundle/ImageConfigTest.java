package org.jrunc.sifbundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.List;
import org.jrunc.JruncException;
import org.junit.jupiter.api.Test;

class ImageConfigTest {
    private static final String WHERE = "img.sif: object 3 (oci-config.json)";

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    static ImageConfig parse(String text) {
        return ImageConfig.parse(json(text), WHERE);
    }

    static String error(String text) {
        String m = assertThrows(JruncException.class, () -> parse(text)).getMessage();
        assertEquals(1, m.lines().count(), m);
        return m;
    }

    @Test
    void allFields() {
        ImageConfig c = parse("{\"Entrypoint\":[\"/bin/app\"],\"Cmd\":[\"--x\",\"y\"],\"Env\":[\"A=1\",\"B=\"],"
                + "\"WorkingDir\":\"/srv\",\"User\":\"www-data\",\"Volumes\":{\"/data\":{},\"/var/cache/\":{}},"
                + "\"Labels\":{\"a\":\"b\"},\"ExposedPorts\":{\"80/tcp\":{}}}");
        assertEquals(List.of("/bin/app"), c.entrypoint());
        assertEquals(List.of("--x", "y"), c.cmd());
        assertEquals(List.of("A=1", "B="), c.env());
        assertEquals("/srv", c.workingDir());
        assertEquals("www-data", c.user());
        assertEquals(
                List.of(
                        new Volume("/data", Path.of("volumes/_data")),
                        new Volume("/var/cache", Path.of("volumes/_var_cache"))),
                c.volumes());
    }

    @Test
    void absentAndNullFieldsAreEmpty() {
        assertEquals(ImageConfig.EMPTY, parse("{}"));
        assertEquals(ImageConfig.EMPTY, parse("{\"Cmd\":null,\"Env\":null,\"Volumes\":null,\"User\":null}"));
        assertEquals(ImageConfig.EMPTY, ImageConfig.parse(null, WHERE));
    }

    @Test
    void wrongTypesNameTheDocumentAndField() {
        assertEquals(WHERE + ": Cmd is not an array of strings", error("{\"Cmd\":\"sh\"}"));
        assertEquals(WHERE + ": Entrypoint[1] is not a string", error("{\"Entrypoint\":[\"a\",1]}"));
        assertEquals(WHERE + ": WorkingDir is not a string", error("{\"WorkingDir\":[]}"));
        assertEquals(WHERE + ": Volumes is not an object", error("{\"Volumes\":[\"/data\"]}"));
        assertEquals(WHERE + ": image config is not a JSON object", error("[1]"));
    }

    @Test
    void envEntriesMustBeNameValue() {
        assertEquals(WHERE + ": Env[1] \"NOVALUE\" is not NAME=VALUE", error("{\"Env\":[\"A=1\",\"NOVALUE\"]}"));
        assertEquals(WHERE + ": Env[0] \"=x\" is not NAME=VALUE", error("{\"Env\":[\"=x\"]}"));
    }

    @Test
    void workingDirMustBeAbsolute() {
        assertEquals(WHERE + ": WorkingDir \"srv\" is not an absolute path", error("{\"WorkingDir\":\"srv\"}"));
    }

    @Test
    void volumesMustBeAbsoluteInsideAndDistinct() {
        assertEquals(WHERE + ": Volumes \"data\" is not an absolute path", error("{\"Volumes\":{\"data\":{}}}"));
        assertEquals(
                WHERE + ": Volumes \"/a/../etc\" contains a \"..\" component",
                error("{\"Volumes\":{\"/a/../etc\":{}}}"));
        assertEquals(WHERE + ": Volumes \"/\" is the root directory", error("{\"Volumes\":{\"/\":{}}}"));
        assertEquals(
                WHERE + ": Volumes \"/a/b\" and \"/a_b\" would share the bundle directory volumes/_a_b",
                error("{\"Volumes\":{\"/a/b\":{},\"/a_b\":{}}}"));
        assertEquals(
                WHERE + ": Volumes \"/x\" and \"//x/\" would share the bundle directory volumes/_x",
                error("{\"Volumes\":{\"/x\":{},\"//x/\":{}}}"));
    }

    @Test
    void lineBreaksInValuesStayOnOneLine() {
        String m = error("{\"Env\":[\"A\\nB\"]}");
        assertEquals(WHERE + ": Env[0] \"A\\x0aB\" is not NAME=VALUE", m);
    }
}
