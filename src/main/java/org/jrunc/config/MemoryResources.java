package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record MemoryResources(
        Long limit,
        Long reservation,
        Long swap,
        Long kernel,
        Long kernelTCP,

        @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = UnsignedLongDeserializer.class)
        Long swappiness,

        Boolean disableOOMKiller,
        Boolean useHierarchy,
        Boolean checkBeforeUpdate) {}
