package dev.ku0.sandbox.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.ku0.sandbox.CommandDecision;
import dev.ku0.sandbox.SandboxManager;
import dev.ku0.sandbox.Verdict;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sandbox explain}: the full analysis of a command: decision, findings, what would run. */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = {
            "Shows the decision for a shell command, the findings behind it and the commands that would really run.",
            "Exit status: 0 when the command is allowed, 1 otherwise."
        })
final class ExplainCommand implements Callable<Integer> {
    @Mixin
    PolicyOptions options;

    @Option(names = "--json", description = "Print the analysis as JSON (verdicts in lower case, as 'check' writes them).")
    boolean json;

    @Parameters(index = "0", paramLabel = "COMMAND", description = "The shell command, as one argument (quote it).")
    String command;

    @Override
    public Integer call() throws Exception {
        try (SandboxManager m = options.manager()) {
            CommandDecision d = m.evaluateCommand(command);
            System.out.print(json ? json(d) + "\n" : text(command, d));
            return d.allowed() ? 0 : 1;
        }
    }

    static String json(CommandDecision d) throws IOException {
        SimpleModule lowerCase = new SimpleModule().addSerializer(Verdict.class, new StdSerializer<>(Verdict.class) {
            @Override
            public void serialize(Verdict v, JsonGenerator gen, SerializerProvider p) throws IOException {
                gen.writeString(v.jsonName());
            }
        });
        return new ObjectMapper().registerModule(lowerCase).enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(d);
    }

    /** The analysis for a person: the decision first, then why, then what would run. */
    static String text(String input, CommandDecision d) {
        StringBuilder sb = new StringBuilder();
        sb.append(d.verdict().jsonName()).append(" (").append(d.code()).append("): ").append(d.reason()).append('\n');
        if (d.rule() != null) sb.append("  rule: ").append(d.rule()).append('\n');
        if (!d.findings().isEmpty()) {
            sb.append("\nfindings:\n");
            for (CommandDecision.Finding f : d.findings()) {
                sb.append("  ").append(f.verdict().jsonName()).append(" (").append(f.code()).append("): ")
                        .append(f.message()).append('\n');
                if (f.start() >= 0 && f.end() <= input.length() && f.start() < f.end()) {
                    sb.append("    at ").append(f.start()).append('-').append(f.end()).append(": ")
                            .append(input, f.start(), f.end()).append('\n');
                }
                if (f.rule() != null) sb.append("    rule: ").append(f.rule()).append('\n');
            }
        }
        if (!d.commands().isEmpty()) {
            sb.append("\ncommands that would run:\n");
            for (CommandDecision.EffectiveCommand c : d.commands()) {
                List<String> words = new ArrayList<>();
                for (String w : c.argv()) words.add(w == null ? "<computed at run time>" : w);
                sb.append("  ").append(String.join(" ", words));
                for (CommandDecision.Redirect r : c.redirects()) {
                    sb.append(' ').append(r.op()).append(' ').append(r.target() == null ? "<computed>" : r.target());
                }
                if (!c.wrappers().isEmpty()) sb.append("    (inside ").append(String.join(", ", c.wrappers())).append(')');
                sb.append('\n');
            }
        }
        return sb.toString();
    }
}
