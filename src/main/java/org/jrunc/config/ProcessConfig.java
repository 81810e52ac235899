package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** process: what runs in the container (config.md "Process"). Named ProcessConfig to stay clear of java.lang.Process. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProcessConfig(
        Boolean terminal,
        ConsoleSize consoleSize,
        User user,
        List<String> args,
        String commandLine,
        List<String> env,
        String cwd,
        Capabilities capabilities,
        List<Rlimit> rlimits,
        Boolean noNewPrivileges,
        String apparmorProfile,
        Integer oomScoreAdj,
        Scheduler scheduler,
        String selinuxLabel,
        IoPriority ioPriority,
        @JsonProperty("execCPUAffinity") ExecCpuAffinity execCpuAffinity) {

    public boolean isTerminal() {
        return Boolean.TRUE.equals(terminal);
    }

    public boolean isNoNewPrivileges() {
        return Boolean.TRUE.equals(noNewPrivileges);
    }

    public List<String> envOrEmpty() {
        return env == null ? List.of() : env;
    }

    public List<String> argsOrEmpty() {
        return args == null ? List.of() : args;
    }
}
