package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** linux.timeOffsets values: an offset for one clock of the time namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TimeOffset(Long secs, Long nanosecs) {}
