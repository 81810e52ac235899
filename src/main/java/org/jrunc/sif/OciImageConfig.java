package org.jrunc.sif;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * An image configuration: the fields the runtime needs directly, plus the whole document ({@link #json()}, e.g.
 * {@code config.Env}, {@code config.Cmd}) for building a runtime spec. Absent strings are empty.
 */
public record OciImageConfig(String architecture, String os, String variant, List<String> diffIds, JsonNode json) {

    public OciImageConfig {
        diffIds = List.copyOf(diffIds);
        json = json.deepCopy();
    }

    /** A copy: jackson trees are mutable. */
    @Override
    public JsonNode json() {
        return json.deepCopy();
    }
}
