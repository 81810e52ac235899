package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConsoleSize(Integer height, Integer width) {}
