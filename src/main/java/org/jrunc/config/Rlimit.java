package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** process.rlimits[]: hard and soft are uint64, so 2^64-1 (RLIM_INFINITY) arrives as -1 here. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Rlimit(
        String type,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long hard,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long soft) {}
