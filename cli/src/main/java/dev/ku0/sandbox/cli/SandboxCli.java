package dev.ku0.sandbox.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sandbox} command. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, versionProvider = SandboxCli.Version.class,
        usageHelpAutoWidth = true,
        description = "ku0 sandbox: decides what an agent's tools may do, and runs commands under enforcement.",
        subcommands = {CheckCommand.class, ExecCommand.class, ExplainCommand.class, LintCommand.class, McpCommand.class,
            CommandLine.HelpCommand.class})
public final class SandboxCli {
    /** Exit code for a bad policy or bad options. */
    public static final int EXIT_USAGE = 2;

    /** Runs a command line and exits with its status; {@link Main} is the JAR's entry point. */
    public static void main(String[] args) {
        Main.main(args);
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new SandboxCli())
                .setUsageHelpLongOptionsMaxWidth(30)
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("sandbox " + cmd.getCommandName() + ": " + dev.ku0.sandbox.TerminalText.visible(describe(e)));
                    return EXIT_USAGE;
                })
                .setParameterExceptionHandler(SandboxCli::badParameters)
                .execute(args);
    }

    /** What went wrong, in words: an I/O exception's message alone is often only a path. */
    static String describe(Exception e) {
        return Main.describe(e);
    }

    private static int badParameters(CommandLine.ParameterException e, String[] args) {
        CommandLine cmd = e.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(name + ": " + e.getMessage());
        if (cmd.getCommand() instanceof ExecCommand && e instanceof CommandLine.UnmatchedArgumentException u
                && !java.util.Arrays.asList(args).contains("--")
                && u.getUnmatched().stream().anyMatch(a -> a.startsWith("-"))) {
            // `exec ls -la`: the command's own options were read as options of exec.
            err.println(name + ": to pass options to the command, put -- before it: "
                    + name + " [options] -- CMD [ARG...]");
        }
        err.println("Run '" + name + " --help' for the options.");
        return EXIT_USAGE;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"ku0 sandbox " + version()};
        }

        /** The build's version: the JAR manifest, else the Maven properties packaged with the classes. */
        static String version() {
            Package p = SandboxCli.class.getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            if (v != null) return v;
            try (InputStream in = SandboxCli.class.getResourceAsStream(
                    "/META-INF/maven/dev.ku0.sandbox/sandbox-cli/pom.properties")) {
                if (in != null) {
                    Properties props = new Properties();
                    props.load(in);
                    if (props.getProperty("version") != null) return props.getProperty("version");
                }
            } catch (IOException ignored) {
                // Fall through to the development label.
            }
            return "(development build)";
        }
    }
}
