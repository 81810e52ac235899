package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** linux.devices[]: a device node to create in the container. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Device(String type, String path, Long major, Long minor, Integer fileMode, Long uid, Long gid) {}
