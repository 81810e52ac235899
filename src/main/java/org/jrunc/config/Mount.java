package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One entry of mounts[]: mounted in listed order. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Mount(
        String destination,
        String type,
        String source,
        List<String> options,
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings) {

    public List<String> optionsOrEmpty() {
        return options == null ? List.of() : options;
    }
}
