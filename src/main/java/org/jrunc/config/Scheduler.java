package org.jrunc.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** process.scheduler (sched_setattr(2)). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Scheduler(
        String policy, Integer nice, Integer priority, List<String> flags, Long runtime, Long deadline, Long period) {}
