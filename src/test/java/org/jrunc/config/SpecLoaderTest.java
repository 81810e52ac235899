package org.jrunc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {
    private static Spec parse(String json) {
        return SpecLoader.read(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "config.json", Spec.class);
    }

    private static String error(String json) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(json));
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheModelAndIgnoresUnknownProperties() {
        Spec s = parse("{\"ociVersion\":\"1.2.0\",\"vendorExtension\":{\"x\":1},\"root\":{\"path\":\"rootfs\","
                + "\"readonly\":true},\"process\":{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":1,\"gid\":2},"
                + "\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551615,\"soft\":1024}],"
                + "\"ioPriority\":{\"class\":\"IOPRIO_CLASS_BE\",\"priority\":3}},"
                + "\"linux\":{\"namespaces\":[{\"type\":\"pid\"}],\"resources\":{\"memory\":{\"limit\":-1}}}}");
        assertEquals("1.2.0", s.ociVersion());
        assertTrue(s.root().isReadonly());
        assertEquals(-1L, s.process().rlimits().get(0).hard(), "uint64 max is RLIM_INFINITY");
        assertEquals("IOPRIO_CLASS_BE", s.process().ioPriority().ioClass());
        assertEquals(1L, s.process().user().uid());
        assertEquals(-1L, s.linux().resources().memory().limit());
    }

    @Test
    void wrongTypesNameTheField() {
        assertTrue(error("{\"process\":{\"args\":\"sh\"}}").contains("field process.args"));
        assertTrue(error("{\"process\":{\"user\":{\"uid\":\"0\"}}}").contains("field process.user.uid"));
        assertTrue(error("{\"linux\":{\"namespaces\":[{\"type\":1}]}}").contains("linux.namespaces[0].type"));
        assertTrue(error("{\"process\":{\"terminal\":\"yes\"}}").contains("process.terminal"));
    }

    @Test
    void syntaxErrorsGiveTheLocation() {
        String m = error("{\"ociVersion\": \n \"1.2\", }");
        assertTrue(m.startsWith("config.json: invalid JSON at line 2"), m);
    }

    @Test
    void trailingGarbageIsAnError() {
        assertTrue(error("{} {}").startsWith("config.json"));
    }

    @Test
    void uint64OutOfRangeIsAnError() {
        assertTrue(error("{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551616}]}}")
                .contains("process.rlimits[0].hard"));
    }
}
