package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/** The root of an OCI runtime-spec config.json (config.md). Unknown properties are ignored, as the spec requires. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Spec(
        String ociVersion,
        Root root,
        List<Mount> mounts,
        ProcessConfig process,
        String hostname,
        String domainname,
        Hooks hooks,
        Map<String, String> annotations,
        Linux linux) {

    public List<Mount> mountsOrEmpty() {
        return mounts == null ? List.of() : mounts;
    }

    public Map<String, String> annotationsOrEmpty() {
        return annotations == null ? Map.of() : annotations;
    }
}
