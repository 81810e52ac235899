package org.jrunc.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void parsesEveryValueKind() {
        Map<String, Object> m =
                Json.parseObject("{\"s\":\"a\\\"b\\\\c\\n\\u00e9\",\"i\":-12,\"big\":18446744073709551615,\"d\":1.5e3,"
                        + "\"t\":true,\"f\":false,\"n\":null,\"a\":[1,[],{}]}");
        assertEquals("a\"b\\c\né", m.get("s"));
        assertEquals(-12L, m.get("i"));
        assertEquals(new BigInteger("18446744073709551615"), m.get("big"));
        assertEquals(1500.0, m.get("d"));
        assertEquals(true, m.get("t"));
        assertEquals(false, m.get("f"));
        assertEquals(null, m.get("n"));
        assertEquals(List.of(1L, List.of(), Map.of()), m.get("a"));
    }

    @Test
    void roundTripsThroughTheWriter() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "tab\there \"quoted\" \u0001 end");
        m.put("list", List.of(1L, "two", false));
        m.put("nested", Map.of("k", "v"));
        assertEquals(m, Json.parse(JsonWriter.compact(m)));
        assertEquals(m, Json.parse(JsonWriter.pretty(m)));
    }

    @Test
    void prettyOutputIsIndentedLikeRunc() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", "x");
        m.put("pid", 5L);
        assertEquals("{\n  \"id\": \"x\",\n  \"pid\": 5\n}", JsonWriter.pretty(m));
    }

    @Test
    void rejectsMalformedInput() {
        for (String bad : List.of(
                "",
                "{",
                "{\"a\":}",
                "[1,]",
                "{\"a\" 1}",
                "tru",
                "\"unterminated",
                "{} x",
                "01x",
                "\"\\q\"",
                "\"a\nb\"")) {
            assertThrows(JsonException.class, () -> Json.parse(bad), bad);
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "[".repeat(100_000);
        assertThrows(JsonException.class, () -> Json.parse(deep));
    }
}
