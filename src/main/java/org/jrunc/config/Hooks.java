package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** hooks: the six lifecycle hook lists. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hooks(
        List<Hook> prestart,
        List<Hook> createRuntime,
        List<Hook> createContainer,
        List<Hook> startContainer,
        List<Hook> poststart,
        List<Hook> poststop) {

    public static List<Hook> orEmpty(List<Hook> hooks) {
        return hooks == null ? List.of() : hooks;
    }
}
