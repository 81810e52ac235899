package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

/** One argument comparison; value and valueTwo are uint64. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SeccompArg(
        Integer index,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long value,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long valueTwo,

        String op) {}
