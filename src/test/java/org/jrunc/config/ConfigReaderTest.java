package org.jrunc.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import java.io.ByteArrayInputStream;
import java.lang.reflect.Parameter;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jrunc.json.JsonWriter;
import org.junit.jupiter.api.Test;

/** ConfigReader (used at run time) against jackson-databind configured by SpecLoader (the reference). */
class ConfigReaderTest {

    private static <T> T ours(String json, Class<T> type) {
        return SpecLoader.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "config.json", type);
    }

    private static <T> T jacksons(String json, Class<T> type) {
        return SpecLoader.readWithJackson(
                new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "config.json", type);
    }

    private static void sameAsJackson(String json) {
        assertEquals(jacksons(json, Spec.class), ours(json, Spec.class));
    }

    @Test
    void everyFieldOfTheRuntimeSpecReadsAsJacksonReadsIt() throws Exception {
        String json = Files.readString(Path.of("src/test/resources/configs/every-field.json"));
        Spec spec = ours(json, Spec.class);
        assertEquals(jacksons(json, Spec.class), spec);
        assertEquals("0-1", spec.process().execCpuAffinity().finalCpus());
        assertEquals(-1L, spec.linux().resources().memory().swappiness(), "uint64 max becomes -1");
        assertEquals(-1L, spec.linux().seccomp().syscalls().get(1).args().get(0).valueTwo());
        assertEquals("echo \"hi\\n\" \u00e9", spec.process().args().get(2));
    }

    @Test
    void shippedAndTemplateConfigsReadAsJacksonReadsThem() throws Exception {
        sameAsJackson(Files.readString(Path.of("bundles/busybox/config.json")));
        sameAsJackson(JsonWriter.pretty(SpecTemplate.create()));
        sameAsJackson(JsonWriter.pretty(SpecTemplate.create(true, 1000, 1000)));
        String process = "{\"args\":[\"sh\"],\"cwd\":\"/\",\"user\":{\"uid\":0,\"gid\":0},\"env\":[]}";
        assertEquals(jacksons(process, ProcessConfig.class), ours(process, ProcessConfig.class));
        String resources = "{\"memory\":{\"limit\":100000000},\"pids\":{\"limit\":50},\"unified\":{\"a.b\":\"1\"}}";
        assertEquals(jacksons(resources, Resources.class), ours(resources, Resources.class));
    }

    @Test
    void badDocumentsFailOnTheSameFieldAsWithJackson() {
        String[] bad = {
            "{\"process\":{\"args\":\"sh\"}}",
            "{\"process\":{\"user\":{\"uid\":\"0\"}}}",
            "{\"linux\":{\"namespaces\":[{\"type\":1}]}}",
            "{\"process\":{\"terminal\":\"yes\"}}",
            "{\"process\":{\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":18446744073709551616}]}}",
            "{\"process\":{\"oomScoreAdj\":2147483648}}",
            "{\"process\":{\"oomScoreAdj\":1.5}}",
            "{\"linux\":{\"resources\":{\"pids\":{\"limit\":1e3}}}}",
            "{\"linux\":{\"resources\":{\"memory\":{\"limit\":\"1\"}}}}",
            "{\"linux\":{\"sysctl\":{\"a\":1}}}",
            "{\"annotations\":[]}",
            "{\"process\":{\"env\":[1]}}",
            "{\"hooks\":{\"prestart\":{}}}",
            "{\"root\":\"x\"}",
            "{\"process\":{\"user\":{\"uid\":true}}}",
            "{\"linux\":{\"uidMappings\":[{\"size\":-99999999999999999999}]}}",
            "[]",
            "\"text\"",
        };
        for (String json : bad) {
            String theirs = assertThrows(ConfigException.class, () -> jacksons(json, Spec.class), json)
                    .getMessage();
            String mine = assertThrows(ConfigException.class, () -> ours(json, Spec.class), json)
                    .getMessage();
            assertEquals(field(theirs), field(mine), json + "\n jackson: " + theirs + "\n ours:    " + mine);
            assertFalse(mine.contains("\n"), mine);
        }
    }

    private static String field(String message) {
        int at = message.indexOf("field ");
        return at < 0 ? "(no field)" : message.substring(at, message.indexOf(':', at));
    }

    @Test
    void syntaxErrorsGiveTheLineAsJacksonDoes() {
        for (String json : new String[] {"{\n\"a\": [1,\n}", "{} {}", "{\"a\":tru}", "", "{\"a\":\"unterminated"}) {
            String theirs = assertThrows(ConfigException.class, () -> jacksons(json, Spec.class))
                    .getMessage();
            String mine = assertThrows(ConfigException.class, () -> ours(json, Spec.class))
                    .getMessage();
            String expected = line(theirs);
            assertEquals(
                    expected,
                    theirs.contains(" at line ") ? line(mine) : expected,
                    json + "\n jackson: " + theirs + "\n ours:    " + mine);
            assertFalse(mine.contains("\n"), mine);
        }
    }

    /** "config.json: invalid JSON at line N" when jackson gives a line, else just that both name the file. */
    private static String line(String message) {
        int at = message.indexOf(" at line ");
        return at < 0 ? message.substring(0, message.indexOf(':')) : message.substring(0, message.indexOf(',', at));
    }

    /** The reader's tables say what the records' jackson annotations say. */
    @Test
    void renamesAndUnsignedFieldsMatchTheAnnotations() throws Exception {
        Map<String, String> renamed = new HashMap<>();
        Set<String> unsigned = new HashSet<>();
        for (Class<?> type : recordTypes()) {
            RecordComponent[] components = type.getRecordComponents();
            Parameter[] params = type.getDeclaredConstructor(Arrays.stream(components)
                            .map(RecordComponent::getType)
                            .toArray(Class<?>[]::new))
                    .getParameters();
            for (int i = 0; i < components.length; i++) {
                String key = type.getSimpleName() + "." + components[i].getName();
                Parameter p = params[i];
                JsonProperty prop = p.getAnnotation(JsonProperty.class);
                if (prop != null) {
                    renamed.put(key, prop.value());
                }
                JsonDeserialize deser = p.getAnnotation(JsonDeserialize.class);
                if (deser != null && deser.using() == UnsignedLongDeserializer.class) {
                    unsigned.add(key);
                }
            }
        }
        assertEquals(ConfigReader.RENAMED, renamed);
        assertEquals(ConfigReader.UNSIGNED, unsigned);
    }

    private static List<Class<?>> recordTypes() throws Exception {
        List<Class<?>> out = new ArrayList<>();
        try (var files = Files.list(Path.of("src/main/java/org/jrunc/config"))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString().replace(".java", "");
                Class<?> c = Class.forName("org.jrunc.config." + name);
                if (c.isRecord()) {
                    out.add(c);
                }
            }
        }
        return out;
    }
}
