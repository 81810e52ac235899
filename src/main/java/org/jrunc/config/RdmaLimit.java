package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record RdmaLimit(Long hcaHandles, Long hcaObjects) {}
