package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** linux.namespaces[]: a type, and a path to join instead of creating a new one. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Namespace(String type, String path) {}
