package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** process.execCPUAffinity: only meaningful for exec. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ExecCpuAffinity(
        String initial, @JsonProperty("final") String finalCpus) {}
