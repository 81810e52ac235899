package org.jrunc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The hand parser's flag tables must stay in step with the picocli commands, which own help and errors. */
class FastPathTest {

    /**
     * What picocli's model of a command accepts: each option name and how it is used. -h/--help and -v/--version are
     * left out: FastPath hands those to picocli on purpose.
     */
    private static Map<String, PlainArgs.Kind> picocliFlags(Object command) {
        Map<String, PlainArgs.Kind> flags = new TreeMap<>();
        for (CommandLine.Model.OptionSpec o :
                new CommandLine(command).getCommandSpec().options()) {
            if (o.usageHelp() || o.versionHelp()) {
                continue;
            }
            PlainArgs.Kind kind = o.arity().max() == 0
                    ? PlainArgs.Kind.SWITCH
                    : o.isMultiValue() ? PlainArgs.Kind.LIST : PlainArgs.Kind.VALUE;
            for (String name : o.names()) {
                flags.put(name, kind);
            }
        }
        return flags;
    }

    private static Map<String, PlainArgs.Kind> tableFlags(List<PlainArgs.Flag> table) {
        Map<String, PlainArgs.Kind> flags = new TreeMap<>();
        for (PlainArgs.Flag f : table) {
            for (String name : f.names()) {
                flags.put(name, f.kind());
            }
        }
        return flags;
    }

    /** The command tree as JruncCli.run builds it for help and unknown names: every command of the catalog. */
    private static CommandLine fullTree() {
        CommandLine cl = new CommandLine(new JruncCli());
        for (String name : CommandCatalog.NAMES) {
            cl.addSubcommand(name, CommandCatalog.create(name));
        }
        return cl;
    }

    @Test
    void flagTablesMatchThePicocliCommands() {
        assertTrue(FastPath.COMMAND_FLAGS.keySet().containsAll(List.of("state", "start", "kill", "delete")));
        CommandLine tree = fullTree();
        for (Map.Entry<String, List<PlainArgs.Flag>> e : FastPath.COMMAND_FLAGS.entrySet()) {
            String name = e.getKey();
            assertTrue(tree.getSubcommands().containsKey(name), name + " is not a picocli command");
            Object command = CommandCatalog.create(name);
            assertNotNull(command, name + " is not in CommandCatalog");
            assertEquals(picocliFlags(command), tableFlags(e.getValue()), "the flags of " + name);
        }
    }

    @Test
    void globalFlagsMatchJruncCli() {
        assertEquals(picocliFlags(new JruncCli()), tableFlags(FastPath.GLOBAL_FLAGS));
    }

    private static Map<String, Object> fields(GlobalOptions g) throws IllegalAccessException {
        Map<String, Object> values = new TreeMap<>();
        for (Field f : GlobalOptions.class.getFields()) {
            if (!Modifier.isStatic(f.getModifiers())) {
                values.put(f.getName(), f.get(g));
            }
        }
        return values;
    }

    /** FastPath's reading of global flags: the options it filled, or null if it would hand the call to picocli. */
    private static GlobalOptions fastPathGlobals(String... args) {
        GlobalOptions g = new GlobalOptions();
        return FastPath.globals(g, args) == args.length ? g : null;
    }

    private static GlobalOptions picocliGlobals(String... args) {
        GlobalOptions g = new GlobalOptions();
        new CommandLine(new JruncCli(g)).parseArgs(args);
        return g;
    }

    @Test
    void globalFlagsFillWhatPicocliFills() throws IllegalAccessException {
        List<String[]> forms = new ArrayList<>();
        List<String> all = new ArrayList<>();
        for (PlainArgs.Flag flag : FastPath.GLOBAL_FLAGS) {
            for (String name : flag.names()) {
                if (flag.takesValue()) {
                    forms.add(new String[] {name, "v-" + flag.key()});
                    forms.add(new String[] {name + "=v-" + flag.key()});
                    forms.add(new String[] {name + "="});
                } else {
                    forms.add(new String[] {name});
                    forms.add(new String[] {name + "=TRUE"});
                    forms.add(new String[] {name + "=false"});
                }
            }
            all.add(flag.names()[0]);
            if (flag.takesValue()) {
                all.add("all-" + flag.key());
            }
        }
        forms.add(all.toArray(new String[0]));
        for (String[] args : forms) {
            GlobalOptions fast = fastPathGlobals(args);
            assertNotNull(fast, String.join(" ", args));
            assertEquals(fields(picocliGlobals(args)), fields(fast), String.join(" ", args));
        }
    }

    @Test
    void globalFormsPicocliRefusesGoToPicocli() {
        List<String[]> refused = new ArrayList<>();
        for (PlainArgs.Flag flag : FastPath.GLOBAL_FLAGS) {
            refused.add(
                    flag.takesValue() ? new String[] {"--" + flag.key()} : new String[] {"--" + flag.key() + "=yes"});
            refused.add(
                    flag.takesValue() // picocli refuses a repeated option
                            ? new String[] {"--" + flag.key(), "a", "--" + flag.key() + "=b"}
                            : new String[] {"--" + flag.key(), "--" + flag.key() + "=false"});
        }
        for (String[] args : refused) {
            assertNull(fastPathGlobals(args), String.join(" ", args));
            assertThrows(CommandLine.ParameterException.class, () -> picocliGlobals(args), String.join(" ", args));
        }
    }

    @Test
    void plainFormsParse() {
        PlainArgs a = PlainArgs.parse(
                new String[] {
                    "exec",
                    "--process",
                    "/p.json",
                    "-d",
                    "--pid-file=/x",
                    "-e",
                    "A=1",
                    "--env",
                    "B=2",
                    "id",
                    "sh",
                    "-c",
                    "echo --tty"
                },
                1,
                FastPath.EXEC_FLAGS,
                true);
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
            {"--help", "id"},
            {"-bX", "id"},
            {"--bundle"},
            {"id", "--bundle", "b"},
            {"--no-pivot=true", "id"},
            {"--bundle", "a", "--bundle", "b", "id"},
            {"--", "id"},
            {"--nonsense", "id"},
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
        assertEquals("create", FastPath.commandName(new String[] {"-root", "/r", "-debug", "create"}));
    }
}
