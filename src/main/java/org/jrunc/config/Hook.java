package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One hook: an absolute path, its argv (args[0] included), env and an optional timeout in seconds. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Hook(String path, List<String> args, List<String> env, Integer timeout) {}
