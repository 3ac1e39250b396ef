package dev.ku0.sandbox.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ku0.sandbox.CommandDecision;
import dev.ku0.sandbox.SandboxManager;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sandbox explain}: the full analysis of a command: decision, findings, what would run. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Shows the decision for a shell command with its findings and the commands that would really run.")
final class ExplainCommand implements Callable<Integer> {
    @Mixin
    PolicyOptions options;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "The shell command, as one argument.")
    String command;

    @Override
    public Integer call() throws Exception {
        try (SandboxManager m = options.manager()) {
            CommandDecision d = m.evaluateCommand(command);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(d));
            return d.allowed() ? 0 : 1;
        }
    }
}
