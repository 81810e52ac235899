package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** root: the container root filesystem, relative to the bundle or absolute. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Root(String path, Boolean readonly) {
    public boolean isReadonly() {
        return Boolean.TRUE.equals(readonly);
    }
}
