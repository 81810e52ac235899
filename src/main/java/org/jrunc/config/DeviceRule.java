package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;

/** linux.resources.devices[]: an allow or deny rule of the device controller. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DeviceRule(Boolean allow, String type, Long major, Long minor, String access) {}
