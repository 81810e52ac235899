package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A user-namespace id mapping range. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IdMapping(Long containerID, Long hostID, Long size) {}
