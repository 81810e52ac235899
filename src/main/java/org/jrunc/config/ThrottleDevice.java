package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record ThrottleDevice(
        Long major,
        Long minor,

        @JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long rate) {}
