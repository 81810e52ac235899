package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record CpuResources(
        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long shares,

        Long quota,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long burst,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long period,

        Long realtimeRuntime,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long realtimePeriod,

        String cpus,
        String mems,
        Long idle) {}
