package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public record IntelRdt(
        String closID,
        String l3CacheSchema,
        String memBwSchema,
        List<String> schemata,
        Boolean enableMonitoring,
        Boolean enableCMT,
        Boolean enableMBM) {}
