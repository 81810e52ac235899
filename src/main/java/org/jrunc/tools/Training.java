package org.jrunc.tools;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.jrunc.caps.CapabilityPlan;
import org.jrunc.config.Spec;
import org.jrunc.config.SpecLoader;
import org.jrunc.container.SpecTemplate;
import org.jrunc.init.ExecPlan;
import org.jrunc.init.InitPlan;
import org.jrunc.init.PlanCodec;
import org.jrunc.json.Json;
import org.jrunc.json.JsonWriter;
import org.jrunc.state.ContainerRecord;
import org.jrunc.sys.LinuxSyscalls;

/**
 * The training run for the class-data archive built at package time (scripts/build-archives.sh): it walks the code
 * paths of the CLI and of the init stage without touching the system (no container is created), so the archive holds
 * the classes real calls load. It is not part of any command.
 */
public final class Training {
    private Training() {
    }

    /**
     * The hot commands only (state, start, kill, delete): their own, much smaller archive, because an AOT cache
     * loads every class it holds at start-up, so the full archive would make `state` pay for picocli and jackson.
     */
    static void hot() {
        PrintStream realOut = System.out;
        System.setOut(new PrintStream(OutputStream.nullOutputStream()));
        System.setErr(new PrintStream(OutputStream.nullOutputStream()));
        try {
            ContainerRecord r = new ContainerRecord();
            r.id = "training";
            r.annotations = Map.of("a", "b");
            ContainerRecord back = ContainerRecord.fromJson(r.toJson());
            Json.parse(JsonWriter.pretty(org.jrunc.state.StateView.of(back, org.jrunc.state.Status.RUNNING)));
            org.jrunc.state.StatusProbe.status(back, java.nio.file.Path.of("/nonexistent"));
            org.jrunc.state.ProcStat.read((int) ProcessHandle.current().pid());
            org.jrunc.log.Log.jsonLineForTraining();
            for (String cmd : List.of("state", "start", "delete", "kill")) {
                org.jrunc.cli.FastPath.tryRun(new String[] {"--root", "/nonexistent/jrunc-training", cmd, "x"});
            }
            org.jrunc.container.Signals.parse("KILL");
        } finally {
            System.setOut(realOut);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("hot")) {
            hot();
            return;
        }
        PrintStream realOut = System.out;
        PrintStream devNull = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(devNull);
        System.setErr(devNull);
        try {
            String config = JsonWriter.pretty(SpecTemplate.create());
            Spec spec = SpecLoader.read(new ByteArrayInputStream(config.getBytes(StandardCharsets.UTF_8)),
                    "config.json", Spec.class);
            CapabilityPlan.parse(spec.process().capabilities(), "process.capabilities");
            ContainerRecord r = new ContainerRecord();
            r.id = "training";
            r.annotations = Map.of("a", "b");
            ContainerRecord back = ContainerRecord.fromJson(r.toJson());
            Json.parse(JsonWriter.pretty(org.jrunc.state.StateView.of(back, org.jrunc.state.Status.RUNNING)));
            org.jrunc.log.Log.jsonLineForTraining();
            LinuxSyscalls.get().getpid();
            InitPlan plan = SamplePlan.create();
            PlanCodec.decodeInitPlan(PlanCodec.encode(plan));
            PlanCodec.decodeExecPlan(PlanCodec.encode(new ExecPlan(plan.process(), 5, new int[] {6}, -1, -1, false)));
            for (String command : List.of("create", "start", "state", "kill", "delete", "run", "list", "spec")) {
                org.jrunc.cli.JruncCli.run(new String[] {command, "--help"});
            }
            org.jrunc.cli.JruncCli.run(new String[] {"--version"});
            org.jrunc.cli.FastPath.tryRun(new String[] {"--root", "/nonexistent/jrunc-training", "state", "x"});
        } finally {
            System.setOut(realOut);
        }
    }
}
