package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record WeightDevice(Long major, Long minor, Integer weight, Integer leafWeight) {}
