package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** process.ioPriority (ioprio_set(2)). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IoPriority(@JsonProperty("class") String ioClass, Integer priority) {}
