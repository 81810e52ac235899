package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record HugepageLimit(
        String pageSize,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long limit) {}
