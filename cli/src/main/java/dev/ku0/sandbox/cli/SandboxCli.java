package dev.ku0.sandbox.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code sandbox} command. */
@Command(name = "sandbox", mixinStandardHelpOptions = true, versionProvider = SandboxCli.Version.class,
        description = "ku0 sandbox: decide what an agent's tools may do, and run commands under enforcement.",
        subcommands = {CheckCommand.class, ExecCommand.class, ExplainCommand.class, LintCommand.class, CommandLine.HelpCommand.class})
public final class SandboxCli {
    /** Exit code for a bad policy or bad options. */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code. */
    public static int run(String... args) {
        return new CommandLine(new SandboxCli())
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("sandbox: " + e.getMessage());
                    return EXIT_USAGE;
                })
                .execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            Package p = SandboxCli.class.getPackage();
            String v = p == null ? null : p.getImplementationVersion();
            return new String[] {"ku0 sandbox " + (v == null ? "development build" : v)};
        }
    }
}
