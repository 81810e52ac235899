package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** linux.seccomp: the filter installed last, right before the container process execs. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Seccomp(
        String defaultAction,
        Long defaultErrnoRet,
        List<String> architectures,
        List<String> flags,
        String listenerPath,
        String listenerMetadata,
        List<SeccompSyscall> syscalls) {}
