package org.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The hand parser's flag tables must stay in step with the picocli commands, which own help and errors. */
class FastPathTest {

    private static Set<String> picocliNames(Object command) {
        Set<String> names = new TreeSet<>();
        for (CommandLine.Model.OptionSpec o : new CommandLine(command).getCommandSpec().options()) {
            names.addAll(List.of(o.names()));
        }
        return names;
    }

    private static Set<String> tableNames(List<PlainArgs.Flag> flags) {
        Set<String> names = new TreeSet<>();
        for (PlainArgs.Flag f : flags) {
            names.addAll(List.of(f.names()));
        }
        return names;
    }

    @Test
    void flagTablesMatchThePicocliCommands() {
        assertEquals(picocliNames(new CreateCommand()), tableNames(FastPath.CREATE_FLAGS));
        assertEquals(picocliNames(new RunCommand()), tableNames(FastPath.RUN_FLAGS));
        assertEquals(picocliNames(new ExecCommand()), tableNames(FastPath.EXEC_FLAGS));
        assertEquals(picocliNames(new DeleteCommand()), tableNames(FastPath.DELETE_FLAGS));
        assertEquals(picocliNames(new KillCommand()), tableNames(FastPath.KILL_FLAGS));
        assertEquals(Set.of(), picocliNames(new StateCommand()));
        assertEquals(Set.of(), picocliNames(new StartCommand()));
    }

    @Test
    void plainFormsParse() {
        PlainArgs a = PlainArgs.parse(new String[] {"exec", "--process", "/p.json", "-d", "--pid-file=/x", "-e", "A=1",
            "--env", "B=2", "id", "sh", "-c", "echo --tty"}, 1, FastPath.EXEC_FLAGS, true);
        assertNotNull(a);
        assertEquals("/p.json", a.value("process"));
        assertEquals("/x", a.value("pid-file"));
        assertEquals(List.of("A=1", "B=2"), a.all("env"));
        assertEquals(List.of("id", "sh", "-c", "echo --tty"), a.positionals);
        assertEquals(true, a.has("detach"));
        assertEquals(false, a.has("tty"));
    }

    @Test
    void unusualFormsGoToPicocli() {
        String[][] unusual = {
            {"--help", "id"}, {"-bX", "id"}, {"--bundle"}, {"id", "--bundle", "b"}, {"--no-pivot=true", "id"},
            {"--bundle", "a", "--bundle", "b", "id"}, {"--", "id"}, {"--nonsense", "id"},
        };
        for (String[] args : unusual) {
            assertNull(PlainArgs.parse(args, 0, FastPath.CREATE_FLAGS, false), String.join(" ", args));
        }
    }

    @Test
    void commandNameSkipsGlobalFlags() {
        assertEquals("create", FastPath.commandName(new String[] {"--root", "/r", "--log=/l", "--debug", "create"}));
        assertNull(FastPath.commandName(new String[] {"--root"}));
        assertNull(FastPath.commandName(new String[] {"--weird", "create"}));
    }
}
